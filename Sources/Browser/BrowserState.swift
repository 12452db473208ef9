import Foundation
import Operations

/// The whole browser as a value. `reduce` takes an event and returns the effects to run;
/// nothing here touches a terminal, a network or a clock.
public struct BrowserState: Sendable {
    public internal(set) var width: Int
    public internal(set) var height: Int
    /// The top of the tree: the bucket list, or the bucket pail was started in until `h` goes
    /// up from its top level to the bucket list.
    public internal(set) var root: NodeID
    public internal(set) var nodeIDs: [NodeID] = []
    var serials: [NodeID: Int32] = [:]
    public internal(set) var nodes: [TreeNode] = []
    public internal(set) var rows = RowList()
    /// Rows that show an entry (not a placeholder), counted while rows are built.
    public internal(set) var entryRowCount = 0
    /// Pages arrive faster than frames: rows are rebuilt once per turn of the run loop
    /// (`settle`), not once per page.
    var rowsStale = false
    /// Levels that got pages since the rows were built, with how many of their children the
    /// rows had seen: the rows of those children are added without rebuilding all of them.
    var appendedSince: [Int32: Int] = [:]
    /// A level was emptied for relisting: its old rows must go, all rows are rebuilt.
    var rowsInvalid = false
    public internal(set) var cursor = 0
    public internal(set) var scroll = 0
    public internal(set) var marks: [MarkedEntry: Int64] = [:]
    public internal(set) var filter = ""
    public internal(set) var sort = SortOrder()
    /// The pages open, the tree at the bottom (never closed), the one keys go to on top.
    public internal(set) var pages: [any Page] = [TreePage()]
    public internal(set) var status: StatusMessage?
    public internal(set) var details: [MarkedEntry: DetailState] = [:]
    public internal(set) var showDetails = true
    public internal(set) var measures: [NodeID: MeasureState] = [:]
    /// `H`: the header columns beside object rows; only rows fetched have an entry in
    /// `columns` (keyed by the object's key bytes, apart from the tree's nodes).
    public internal(set) var showColumns = false
    public internal(set) var columns: [MarkedEntry: ColumnState] = [:]
    /// Column HEADs asked and not answered: the object, its request and its level's serial.
    var columnRequests: [MarkedEntry: (id: RequestID, node: Int32)] = [:]
    /// The details pane's "public?" line per object, from an unsigned HEAD.
    public internal(set) var publicAccess: [MarkedEntry: PublicAccess] = [:]
    public internal(set) var transferRows: [TransferRow] = []
    /// Incomplete multipart uploads of a bucket, as its uploads page last listed them.
    public internal(set) var uploadTotals: [String: UploadTotal] = [:]
    /// Buckets whose uploads were counted when opened (once a session: M lists them again).
    var uploadsCountAsked: Set<String> = []
    /// The requests asked of workers and not answered yet (see Requests.swift).
    public internal(set) var openRequests: [RequestID: RequestKind] = [:]
    var nextRequest = 1
    /// The first bucket list's request, asked by `start`; `bucketsListed` answers it.
    var bucketListRequest: RequestID?
    /// The open measure of each prefix, closed by its last count or cancelled by a new one.
    var measureRequests: [NodeID: RequestID] = [:]
    /// Keys and mouse events read from the terminal, and whether the title bar shows their
    /// count (`PAIL_TEST_INPUT_COUNT`): the tmux tests wait for it to reach the number of keys
    /// they sent, so they never read a frame drawn before pail saw their last key.
    public internal(set) var inputsSeen = 0
    public var showsInputCount = false
    /// Why writes are refused everywhere (`--read-only`, a read-only profile), and for which
    /// buckets (their `read_only`); the client refuses them too, this only says so first.
    public var readOnly: String?
    public var readOnlyBuckets: [String: String] = [:]
    /// The profile the title shows (nil: none named), the bookmarks `'` goes to (name → s3://),
    /// and the keys that `[keys]` of the configuration file moved, on every page.
    public var profile: String?
    public var bookmarks: [String: String] = [:]
    public var keyOverrides = KeyRemap()
    var nextToken = 1
    var activeListings: [Int: Int32] = [:]
    /// A row to select as soon as it appears (after a jump, or at start with a target).
    var pendingSelect: (node: NodeID, name: String)?
    /// The entry the person put the cursor on. A relisting (delete, upload, edit, `r`, copy)
    /// empties its level before the new pages arrive: the cursor comes back to this entry, or
    /// to the nearest one still there, instead of staying at a row number that now shows
    /// another entry (where the next key would land).
    var anchor: CursorAnchor?
    /// Whether the question on screen (delete, overwrite, quit, apply an edit) has been drawn.
    /// Keys read before that were typed for the page underneath: they are dropped, never
    /// taken as the answer. Set by the run loop after each frame (`framePresented`).
    var questionDrawn = true
    /// The bucket pail was started in, once `h` went up from it to the bucket list.
    var cameUpFrom: String?
    /// Rows were rebuilt under the cursor, which now shows another entry.
    var cursorMovedByRows = false
    /// Counts status messages, so the timer of an expiring one clears that one only.
    var statusSerial = 0
    /// How long a message about finished work ("deleted 2 of 2 objects") stays up.
    public static let statusLifetime = 6.0
    /// Keys dropped because they arrived before the question was drawn.
    public internal(set) var keysDroppedBeforeQuestion = 0
    /// Keys read while a jump's target was still being listed: they were typed after the
    /// jump, so they apply once the cursor has landed on it (`BrowserState+TypeAhead.swift`).
    var heldKeys: [Key] = []

    /// Debounce before the details pane asks HeadObject, so scrolling does not flood the server.
    public static let headDelay = 0.15
    /// The object whose debounce timer was set last and has not fired: its HEAD is as good as
    /// asked, so the title says [busy] (scripts and tests take [idle] as "nothing more will
    /// come"). The next timer set replaces it, so a timer effect dropped cannot hold it for ever.
    var headTimerPending: MarkedEntry?

    public init(width: Int, height: Int, root: NodeID = .bucketList) {
        self.width = width
        self.height = height
        self.root = root
        _ = serial(for: root)
    }

    /// The state and first effects for `pail` (bucket list) or `pail s3://bucket/prefix/`.
    public static func start(bucket: String?, prefix: String, width: Int,
                             height: Int) -> (BrowserState, [BrowserEffect]) {
        guard let bucket else {
            var s = BrowserState(width: width, height: height)
            s.nodes[0].state = .loading(token: 0)
            // A request like any other, so the title says busy until the answer (bucketsListed
            // closes it); token 0 is never handed out by nextToken, so no listing is taken for it.
            s.bucketListRequest = s.ask(.bucketList)
            s.nodes[0].expanded = true
            s.rebuildRows()
            return (s, [.listBuckets])
        }
        var s = BrowserState(width: width, height: height, root: NodeID(bucket: bucket, prefix: ""))
        var effects = s.expand(0)
        effects += s.reveal(bucket: bucket, prefix: prefix)
        s.rebuildRows()
        return (s, effects)
    }

    // MARK: Queries

    public var isBusy: Bool {
        !openRequests.isEmpty || !activeListings.isEmpty || transferRows.contains { $0.isActive }
            || headTimerPending != nil
    }

    /// Transfers that quitting would cancel: running, queued, or still being planned.
    public var activeTransfers: Int {
        transferRows.filter(\.isActive).count + openRequests.values.filter { $0 == .transferBatch }.count
    }

    /// The page keys go to.
    public var topPage: any Page { pages[pages.count - 1] }

    /// The top page if it is a `P`.
    public func page<P: Page>(_ type: P.Type) -> P? { pages.last as? P }

    public func node(_ serial: Int32) -> TreeNode { nodes[Int(serial)] }

    /// The entry a row shows; nil for placeholders, and for rows made stale by a node that
    /// was just cleared for relisting (rows are rebuilt right after).
    public func child(of row: Row) -> TreeChild? {
        guard row.index >= 0, Int(row.node) < nodes.count else { return nil }
        let children = nodes[Int(row.node)].children
        guard Int(row.index) < children.count else { return nil }
        return children[Int(row.index)]
    }

    public var cursorRow: Row? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// The bucket and key (or prefix) under the cursor.
    public var cursorEntry: MarkedEntry? {
        guard let row = cursorRow, let c = child(of: row) else { return nil }
        let parent = nodeIDs[Int(row.node)]
        switch c {
        case .bucket(let name, _): return MarkedEntry(bucket: name, key: "", isPrefix: true)
        case .prefix(let name): return MarkedEntry(bucket: parent.bucket, key: parent.prefix + name, isPrefix: true)
        case .object(let o): return MarkedEntry(bucket: parent.bucket, key: parent.prefix + o.name, isPrefix: false)
        }
    }

    /// The listed level the cursor is in, for the title bar.
    public var currentLocation: NodeID {
        guard let row = cursorRow else { return root }
        if let c = child(of: row), let id = nodeIDs[Int(row.node)].child(c),
           let s = serials[id], nodes[Int(s)].expanded { return id }
        return nodeIDs[Int(row.node)]
    }

    public var markedBytes: Int64 { marks.values.reduce(0, +) }

    /// Marked prefixes whose size was not measured when they were marked.
    public var unmeasuredMarkedPrefixes: Int {
        marks.keys.filter { $0.isPrefix && measures[NodeID(bucket: $0.bucket, prefix: $0.key)]?.finished != true }.count
    }

    func serialOf(_ id: NodeID) -> Int32? { serials[id] }

    // MARK: Reduce

    public mutating func reduce(_ event: BrowserEvent) -> [BrowserEffect] {
        let questionBefore = topPage.question
        defer {
            if let q = topPage.question, q != questionBefore { questionDrawn = false }
        }
        var effects: [BrowserEffect] = []
        // The rows settle before the event is taken (pages arriving are settled before a
        // draw); what settling asks for (the headers of an object a rebuild put under the
        // cursor, its public probe) is left for the end, where it is returned, not dropped.
        if case .listed = event {} else if rowsStale && !appendRows() { rebuildRows() }
        if let id = event.answers { openRequests[id] = nil }
        switch event {
        case .key(let key):
            inputsSeen += 1
            effects = holdsKey(key) ? [] : handleKey(key)
        case .mouse(let m):
            inputsSeen += 1
            effects = withTopPage { page, state in page.mouse(m, in: &state) }
        case .resize(let w, let h):
            width = w
            height = h
            keepCursorVisible()
        case .bucketsListed(let result):
            // The bucket list answers without a token: whatever asked for it is answered.
            let listSerial = serial(for: .bucketList)
            activeListings = activeListings.filter { $0.value != listSerial }
            if let first = bucketListRequest { openRequests[first] = nil }
            bucketListRequest = nil
            switch result {
            case .success(let buckets):
                let list = Int(serial(for: .bucketList))
                nodes[list].children = ChildStore(buckets)
                nodes[list].order = nil
                nodes[list].state = .loaded
                if buckets.isEmpty { setStatus("no buckets for these credentials", error: false) }
            case .failure(let e):
                let list = Int(serial(for: .bucketList))
                // Gone up from a bucket without the right to list buckets: keep that bucket.
                if let up = cameUpFrom {
                    nodes[list].children = [.bucket(name: up, created: .nan)]
                    nodes[list].state = .loaded
                    setStatus("cannot list the buckets (\(e.message)); showing \(up) only", error: true)
                } else {
                    nodes[list].state = .failed(e.message)
                    setStatus(e.message, error: true)
                }
            }
            rebuildRows()
        case .listed(let id, let token, let prefixes, let objects):
            guard let s = serials[id], activeListings[token] == s else { return [] }
            if appendedSince[s] == nil { appendedSince[s] = nodes[Int(s)].children.count }
            nodes[Int(s)].append(prefixes: prefixes, objects: objects)
            nodes[Int(s)].state = .loading(token: token)
            rowsStale = true
        case .listingFinished(let id, let token, let error):
            guard let s = serials[id], activeListings.removeValue(forKey: token) != nil else { return [] }
            if let error {
                nodes[Int(s)].state = .failed(error.message)
                setStatus(error.message.contains("s3://") ? error.message : "\(id): \(error.message)", error: true)
            } else {
                nodes[Int(s)].state = .loaded
                // "refreshing X" said what was under way: once X is listed again it is not true.
                if status?.text == "refreshing \(id)" && status?.isError == false { status = nil }
                if !id.isBucketList && id.prefix.isEmpty && nodes[Int(s)].children.isEmpty {
                    setStatus("the bucket \(id.bucket) is empty", error: false)
                }
                effects += countUploadsOnce(id)
            }
            // The rows already show what arrived: only a cursor still waiting needs them all.
            if !appendRows() { rebuildRows() }
        case .headed(_, let bucket, let key, let result):
            let entry = MarkedEntry(bucket: bucket, key: key, isPrefix: false)
            switch result {
            case .success(let rows): details[entry] = .loaded(rows); noteColumns(entry, from: rows)
            case .failure(let e): details[entry] = .failed(e.message)
            }
        case .headTimerFired(let bucket, let key):
            let entry = MarkedEntry(bucket: bucket, key: key, isPrefix: false)
            if headTimerPending == entry { headTimerPending = nil }
            if cursorEntry == entry && details[entry] == nil && showDetails {
                details[entry] = .loading
                effects.append(.head(id: ask(.head), bucket: bucket, key: key))
            }
        case .measured(let request, let id, let m):
            guard measureRequests[id] == request else { break }  // a measure cancelled since
            if m.finished { measureRequests[id] = nil }
            var m = m
            // The child prefixes were counted by the same listing: their sizes are known too
            // (a child's own measure still running keeps its own).
            for row in m.children {
                let child = NodeID(bucket: id.bucket, prefix: row.name)
                guard measureRequests[child] == nil else { continue }
                measures[child] = MeasureState(objects: Int64(row.objects), bytes: row.bytes, finished: true)
            }
            if !m.children.isEmpty, sort.key == .size, let s = serials[id] {
                nodes[Int(s)].order = nil
                rowsInvalid = true
                rowsStale = true
            }
            m.children = []
            measures[id] = m
            if m.finished, let error = m.error { setStatus("\(id): \(error)", error: true) }
            if m.finished && sort.key == .size { resortParent(of: id) }
        case .urlsBuilt:
            break  // the URL menu's
        case .presignedReady(_, let result):
            switch result {
            case .success(let choice):
                if let url = choice.url { effects.append(.copy(text: url)) }
                if let note = choice.note { setStatus("warning: " + note, error: true) }
            case .failure(let e): setStatus(e.message, error: true)
            }
        case .publicChecked(_, let result):
            switch result {
            case .success(let check): push(PublicCheckPage(check: check))
            case .failure(let e): setStatus(e.message, error: true)
            }
        case .statusExpired(let serial):
            if serial == statusSerial, status?.isError == false { status = nil }
        case .notice(let text):
            setStatus(text, error: true)
        case .deletePlanned, .editPlanned, .operationProgress, .operationFinished, .auditRows, .auditFinished,
             .pathCompletions,
             .downloadConflicts, .transfersUpdated, .uploaded, .versionsListed, .transfersQueued, .previewed:
            effects += handleOperationEvent(event)
        case .columnsHeaded:
            receiveColumns(event)
        case .bucketRead:
            break  // the bucket page's
        case .publicProbed(_, let bucket, let key, let access):
            publicAccess[MarkedEntry(bucket: bucket, key: key, isPrefix: false)] = access
        case .cleanupFound, .cleanupFinished, .uploadsListed:
            break  // the cleanup pages take their own
        case .profilesListed, .profileSwitched, .bookmarkSaved:
            effects += handleProfileEvent(event)
        case .copied(let text, let via):
            // A warning about what was copied stays in front, followed by what the clipboard got.
            if let s = status, s.isError, s.text.hasPrefix("warning"), !s.text.contains(" · copied (") {
                setStatus(s.text + " · copied (\(via)): \(text)", error: true)
            } else {
                effects.append(setExpiringStatus("copied (\(via)): \(text)"))
            }
        case .prefixCompletions:
            break  // the jump prompt's
        case .uploadConflicts(let id, let count, let example):
            push(ConflictPromptPage(batchID: id, count: count, example: example, upload: true))
        case .uploadRulesDescribed:
            break  // the upload prompt's
        case .transfersEnded(let text, let failed):
            if failed { setStatus(text, error: true) } else { effects.append(setExpiringStatus(text)) }
        case .imageShown:
            break  // the image page's
        case .uploadsCounted(_, let bucket, let result):
            receiveUploadCount(bucket, result)
        case .invalidationProgress, .invalidated:
            effects += receiveInvalidation(event)  // and the report page's
        }
        effects += offerToPages(event)
        effects += releaseHeldKeys()
        return effects + headForMovedCursor() + cacheFollowUps()
    }

    /// The run loop drew a frame: a question opened before it is now on screen.
    public mutating func framePresented() { questionDrawn = true }

    /// A key the terminal read but could not decode: counted like the others.
    public mutating func noteIgnoredInput() { inputsSeen += 1 }

    /// Why writes where the cursor is are refused, or nil.
    public var readOnlyReason: String? {
        readOnly ?? (currentLocation.isBucketList ? nil : readOnlyBuckets[currentLocation.bucket])
    }

    /// What the tree's keys do (the filter page moves the cursor with some of them too).
    mutating func treeAction(_ action: Action) -> PageOutcome {
        let page = max(1, treeHeight - 1)
        switch action {
        case .up: return .stay(moveCursor(to: cursor - 1))
        case .down: return .stay(moveCursor(to: cursor + 1))
        case .pageUp: return .stay(moveCursor(to: cursor - page))
        case .pageDown: return .stay(moveCursor(to: cursor + page))
        case .top: return .stay(moveCursor(to: 0))
        case .bottom: return .stay(moveCursor(to: rows.count - 1))
        case .open: return .stay(openCursor())
        case .close: return .stay(closeCursor())
        case .toggleMark:
            guard let entry = cursorEntry, let row = cursorRow, let c = child(of: row) else { return .stay }
            if case .bucket = c { setStatus("buckets cannot be marked", error: false); return .stay }
            if marks.removeValue(forKey: entry) == nil {
                var size: Int64 = 0
                if case .object(let o) = c { size = o.size }
                if entry.isPrefix, let id = nodeIDs[Int(row.node)].child(c), let m = measures[id] { size = m.bytes }
                marks[entry] = size
            }
            return .stay(moveCursor(to: cursor + 1))
        case .clearMarks:
            marks.removeAll()
            return .stay
        case .filter: return .open(FilterPage(LineEditor(filter)))
        case .jump: return .open(JumpPage())
        case .cycleSort:
            let all = SortKey.allCases.filter { showColumns || !$0.isHeaderColumn }
            sort.key = all[(all.firstIndex(of: sort.key)! + 1) % all.count]
            return .stay(resort())
        case .reverseSort:
            sort.reversed.toggle()
            return .stay(resort())
        case .refresh: return .stay(refreshCursor())
        case .measure:
            guard let row = cursorRow, let c = child(of: row), let id = nodeIDs[Int(row.node)].child(c) else {
                setStatus("move to a prefix or bucket to measure it", error: false)
                return .stay
            }
            var effects: [BrowserEffect] = []
            if let old = measureRequests[id] {
                openRequests[old] = nil
                effects.append(.cancelMeasure(node: id))
            }
            measures[id] = MeasureState(objects: 0, bytes: 0, finished: false, error: nil)
            let request = ask(.measure)
            measureRequests[id] = request
            effects.append(.measure(id: request, node: id))
            return .stay(effects)
        case .preview:
            guard let e = cursorEntry, !e.isPrefix else {
                setStatus("move to an object to preview it", error: false)
                return .stay
            }
            return PreviewPage.opening(e, in: &self)
        case .toggleDetails:
            if Layout(width: width, height: height, showDetails: true).details == nil {
                // Nothing would change on screen: say why instead of toggling unseen.
                setStatus("details need \(Layout.detailsMinHeight) rows or \(Layout.detailsMinWidth) columns",
                          error: false)
                return .stay
            }
            showDetails.toggle()
            return .stay(showDetails ? scheduleHead() : [])
        case .delete, .editHeaders, .audit, .upload, .download, .copyObjects, .transfers, .versions:
            return startOperation(action)
        case .copyURL:
            guard let entry = cursorEntry else { return .stay }
            let id = ask(.urls)
            return .open(URLMenuPage(bucket: entry.bucket, key: entry.key, request: id),
                         [.buildURLs(id: id, bucket: entry.bucket, key: entry.key)])
        case .quit: return quitOutcome()
        case .toggleColumns: return .stay(toggleColumns())
        case .bucketPage: return openBucketPage()
        default: return .stay
        }
    }

    /// Quitting cancels every transfer: asked first while any runs or waits, from any page.
    mutating func quitOutcome() -> PageOutcome {
        let active = activeTransfers
        if active > 0 { return .open(QuitConfirmationPage(active: active)) }
        return .stay(quitEffects())
    }

    func quitEffects() -> [BrowserEffect] {
        activeListings.keys.sorted().map { .cancelListing(token: $0) } + [.quit]
    }

    /// The tree after the filter changed, and the headers of what is now under the cursor.
    mutating func refilter() -> [BrowserEffect] {
        rebuildRows()
        return scheduleHead()
    }

    /// `media/2024/` in the current bucket, or `s3://other/prefix/`.
    mutating func jump(to text: String) -> [BrowserEffect] {
        var bucket = currentLocation.bucket
        var prefix = text
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst(5)
            bucket = String(rest.prefix { $0 != "/" })
            prefix = String(rest.dropFirst(bucket.count + 1))
        } else if prefix.hasPrefix("/") {
            prefix.removeFirst()
        }
        guard !bucket.isEmpty else {
            setStatus("jump needs a bucket here: type s3://bucket/prefix/", error: true)
            return []
        }
        filter = ""
        var effects: [BrowserEffect] = []
        // Another bucket than the one pail was started in: the tree grows the bucket list.
        if !root.isBucketList && bucket != root.bucket { effects += goUpToBucketList() }
        if root.isBucketList {
            pendingSelect = (root, bucket)
            let id = NodeID(bucket: bucket, prefix: "")
            effects += expand(serial(for: id))
            if prefix.isEmpty { rebuildRows(); return effects }
        }
        effects += reveal(bucket: bucket, prefix: prefix)
        rebuildRows()
        return effects
    }

    /// Expands every prefix on the way to `prefix` and selects it when its row appears.
    mutating func reveal(bucket: String, prefix: String) -> [BrowserEffect] {
        guard !prefix.isEmpty else { return [] }
        var effects: [BrowserEffect] = []
        var parent = ""
        let parts = prefix.split(separator: "/", omittingEmptySubsequences: false)
        for (i, part) in parts.enumerated() {
            let isLast = i == parts.count - 1
            if isLast && part.isEmpty { break }  // prefix ended with "/"
            let name = isLast ? String(part) : String(part) + "/"
            pendingSelect = (NodeID(bucket: bucket, prefix: parent), name)
            if !isLast || name.hasByteSuffix("/") {
                parent += name
                effects += expand(serial(for: NodeID(bucket: bucket, prefix: parent)))
            }
        }
        return effects
    }

    // MARK: Mouse

    mutating func handleMouse(_ m: MouseEvent) -> [BrowserEffect] {
        let layout = Layout(width: width, height: height, showDetails: showDetails)
        switch m {
        case .wheelUp:
            scroll = max(0, scroll - 3)
            return moveCursor(to: min(cursor, scroll + layout.treeHeight - 1))
        case .wheelDown:
            scroll = max(0, min(scroll + 3, rows.count - layout.treeHeight))
            return moveCursor(to: max(cursor, scroll))
        case .click(let y, let x), .doubleClick(let y, let x):
            guard y >= layout.treeTop, y < layout.treeTop + layout.treeHeight, x < layout.treeWidth else { return [] }
            let target = scroll + (y - layout.treeTop)
            guard target < rows.count else { return [] }
            var effects = moveCursor(to: target)
            if case .doubleClick = m { effects += openCursor() }
            return effects
        }
    }

    // MARK: Tree operations

    mutating func serial(for id: NodeID) -> Int32 {
        if let s = serials[id] { return s }
        let s = Int32(nodes.count)
        nodes.append(TreeNode(id: id))
        nodeIDs.append(id)
        serials[id] = s
        return s
    }

    /// Marks a node expanded and starts its listing if it has none.
    mutating func expand(_ s: Int32) -> [BrowserEffect] {
        nodes[Int(s)].expanded = true
        switch nodes[Int(s)].state {
        case .loaded, .loading: return []
        case .unloaded, .partial, .failed: return startListing(s)
        }
    }

    mutating func startListing(_ s: Int32) -> [BrowserEffect] {
        var effects: [BrowserEffect] = []
        if case .loading(let old) = nodes[Int(s)].state, activeListings.removeValue(forKey: old) != nil {
            effects.append(.cancelListing(token: old))
        }
        let token = nextToken
        nextToken += 1
        nodes[Int(s)].children = []
        nodes[Int(s)].order = nil
        rowsInvalid = true
        nodes[Int(s)].state = .loading(token: token)
        activeListings[token] = s
        let id = nodeIDs[Int(s)]
        dropColumns(under: id)
        if id.isBucketList {
            // Every bucket list is a request of its own (busy until bucketsListed), not only the first.
            if let old = bucketListRequest { openRequests[old] = nil }
            bucketListRequest = ask(.bucketList)
        }
        effects.append(id.isBucketList ? .listBuckets : .list(node: id, token: token))
        return effects
    }

    /// Collapses a node; a listing still running stops, keeping what arrived as partial.
    mutating func collapse(_ s: Int32) -> [BrowserEffect] {
        nodes[Int(s)].expanded = false
        var effects: [BrowserEffect] = []
        if case .loading(let token) = nodes[Int(s)].state, activeListings.removeValue(forKey: token) != nil {
            nodes[Int(s)].state = .partial
            effects.append(.cancelListing(token: token))
        }
        // Listings of expanded descendants are out of sight too.
        let id = nodeIDs[Int(s)]
        for (token, serial) in activeListings {
            let other = nodeIDs[Int(serial)]
            let below = id.isBucketList || (other.bucket == id.bucket && other.prefix.hasPrefix(id.prefix))
            if below && other != id {
                activeListings.removeValue(forKey: token)
                nodes[Int(serial)].state = .partial
                effects.append(.cancelListing(token: token))
            }
        }
        return effects
    }

    mutating func openCursor() -> [BrowserEffect] {
        guard let row = cursorRow, let c = child(of: row) else { return [] }
        guard let id = nodeIDs[Int(row.node)].child(c) else {
            showDetails = true
            return scheduleHead(immediately: true)
        }
        let s = serial(for: id)
        if nodes[Int(s)].expanded {
            let effects = moveCursor(to: cursor + 1)
            return effects
        }
        let effects = expand(s)
        rebuildRows()
        return effects
    }

    mutating func closeCursor() -> [BrowserEffect] {
        guard let row = cursorRow else { return [] }
        if let c = child(of: row), let id = nodeIDs[Int(row.node)].child(c), let s = serials[id],
           nodes[Int(s)].expanded {
            let effects = collapse(s)
            rebuildRows()
            return effects
        }
        // Go to the parent's row.
        let parentSerial = row.node
        let parentID = nodeIDs[Int(parentSerial)]
        if parentID == root && !root.isBucketList { return goUpToBucketList() }
        guard parentID != root else { return [] }
        if let index = rows.firstIndex(where: { r in
            guard let c = child(of: r) else { return false }
            return nodeIDs[Int(r.node)].child(c) == parentID
        }) {
            return moveCursor(to: index)
        }
        return []
    }

    /// `h` on the top level of a bucket pail was started in (`pail s3://b/static/`): the tree
    /// grows a bucket list above it, with the cursor on the bucket, still expanded.
    mutating func goUpToBucketList() -> [BrowserEffect] {
        let bucket = root.bucket
        let list = serial(for: .bucketList)
        cameUpFrom = bucket
        root = .bucketList
        pendingSelect = (.bucketList, bucket)
        anchor = nil
        filter = ""
        let effects = expand(list)
        // A row for the bucket at once, so the cursor has somewhere to be while the list loads.
        if nodes[Int(list)].children.isEmpty { nodes[Int(list)].children = [.bucket(name: bucket, created: .nan)] }
        rebuildRows()
        return effects + scheduleHead()
    }

    mutating func refreshCursor() -> [BrowserEffect] {
        guard let row = cursorRow else { return [] }
        var target = row.node
        if let c = child(of: row), let id = nodeIDs[Int(row.node)].child(c), let s = serials[id],
           nodes[Int(s)].expanded {
            target = s
        }
        let id = nodeIDs[Int(target)]
        details = details.filter { $0.key.bucket != id.bucket || !$0.key.key.hasPrefix(id.prefix) }
        if let entry = cursorEntry {
            let parent = nodeIDs[Int(row.node)]
            pendingSelect = (parent, entry.key.droppingBytePrefix(parent.prefix))
        }
        let effects = startListing(target)
        setStatus("refreshing \(id)", error: false)
        rebuildRows()
        return effects
    }

    mutating func resort() -> [BrowserEffect] {
        if sort.key.isHeaderColumn { headerSortStatus() } else { rebuildRows() }
        return scheduleHead()
    }

    mutating func moveCursor(to index: Int) -> [BrowserEffect] {
        guard !rows.isEmpty else { cursor = 0; return [] }
        let new = max(0, min(rows.count - 1, index))
        let moved = new != cursor
        cursor = new
        anchor = currentAnchor()
        keepCursorVisible()
        if moved && status?.isError == false { status = nil }
        return scheduleHead()
    }

    /// Asks for the cursor object's headers after the cursor rests (or at once).
    mutating func scheduleHead(immediately: Bool = false) -> [BrowserEffect] {
        guard showDetails, let entry = cursorEntry, !entry.isPrefix, details[entry] == nil else { return [] }
        if immediately {
            details[entry] = .loading
            return [.head(id: ask(.head), bucket: entry.bucket, key: entry.key)]
        }
        headTimerPending = entry
        return [.timer(seconds: Self.headDelay, event: .head(bucket: entry.bucket, key: entry.key))]
    }

    mutating func setStatus(_ text: String, error: Bool) {
        statusSerial += 1
        status = StatusMessage(text: text, isError: error)
    }

    /// A message about work that finished: it goes after a while, unless another replaced it.
    mutating func setExpiringStatus(_ text: String) -> BrowserEffect {
        setStatus(text, error: false)
        return .timer(seconds: Self.statusLifetime, event: .expireStatus(serial: statusSerial))
    }

    // MARK: Rows

    var treeHeight: Int { Layout(width: width, height: height, showDetails: showDetails).treeHeight }

    mutating func keepCursorVisible() {
        let h = max(1, treeHeight)
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + h { scroll = cursor - h + 1 }
        scroll = max(0, min(scroll, max(0, rows.count - h)))
    }

    /// The filter folded as names are (case and accents ignored), for matching their bytes.
    var filterNeedle: [UInt8] { Fold.bytes(filter) }

    /// Whether one entry's name passes the filter, folded as the rows' filter folds it.
    func matches(_ c: TreeChild) -> Bool {
        filter.isEmpty || Fold.contains(Fold.bytes(c.name), filterNeedle)
    }

    /// A measured prefix takes its place by size in its level's rows (the cursor stays on its entry).
    mutating func resortParent(of id: NodeID) {
        let bytes = Array(id.prefix.utf8.dropLast())
        let parentPrefix = bytes.lastIndex(of: UInt8(ascii: "/")).map { String(decoding: bytes[...$0], as: UTF8.self) }
        guard let p = serials[NodeID(bucket: id.bucket, prefix: parentPrefix ?? "")] else { return }
        nodes[Int(p)].order = nil
        rowsInvalid = true
        rowsStale = true
    }

    /// Indices of a node's children in the current sort order, cached per node; nil means
    /// S3's own key order (name, ascending), which needs no index array at all.
    mutating func order(of s: Int32) -> [Int32]? {
        if sort == SortOrder() { return nil }
        if let o = nodes[Int(s)].order, nodes[Int(s)].orderSort == sort { return o }
        let children = nodes[Int(s)].children
        var idx = (0..<Int32(children.count)).map { $0 }
        switch sort.key {
        case .name: break  // S3 already lists in key order
        case .size:
            // A prefix sorts by its measured size once measured (unmeasured ones after every size).
            let id = nodeIDs[Int(s)]
            let sizes = (0..<children.count).map { i -> Int64 in
                guard children.isContainer(i), let child = id.child(children[i]) else { return children.size(at: i) }
                return measures[child]?.bytes ?? -1
            }
            idx.sort { sizes[Int($0)] > sizes[Int($1)] }
        case .date: idx.sort { children.sortDate(at: Int($0)) > children.sortDate(at: Int($1)) }
        case .cacheControl, .contentType, .contentEncoding:
            idx = headerOrder(of: s)
        }
        if sort.reversed && !sort.key.isHeaderColumn { idx.reverse() }  // headerOrder reverses its own
        nodes[Int(s)].order = idx
        nodes[Int(s)].orderSort = sort
        return idx
    }

    /// Brings the rows up to date after pages arrived; call before drawing, and run what it
    /// returns: the headers of an object the new rows put under the cursor.
    @discardableResult
    public mutating func settle() -> [BrowserEffect] {
        if rowsStale && !appendRows() { rebuildRows() }
        let released = releaseHeldKeys()
        if rowsStale && !appendRows() { rebuildRows() }
        return released + headForMovedCursor() + cacheFollowUps()
    }

    /// Adds the rows of children appended since the rows were built, in place, when that is
    /// all that changed: levels got pages, in name order (appended entries go last), with the
    /// cursor settled on its entry. Costs what arrived, not what is listed, so a level of
    /// millions keeps drawing while it streams. False when the rows must be rebuilt.
    mutating func appendRows() -> Bool {
        guard !rowsInvalid else { return false }
        guard !appendedSince.isEmpty else { return !rowsStale }
        guard sort == SortOrder(), pendingSelect == nil, anchor == nil || anchor == currentAnchor() else {
            return false
        }
        if !filter.isEmpty && HeaderFilter(filter) != nil { return false }
        for (s, seen) in appendedSince {
            let node = nodes[Int(s)]
            guard seen <= node.children.count else { return false }
            // A child already expanded (a jump revealed it before its row came) brings its own rows.
            for i in seen..<node.children.count where node.children.isContainer(i) {
                if let id = node.id.child(node.children[i]), let cs = serials[id], nodes[Int(cs)].expanded {
                    return false
                }
            }
        }
        let appended = appendedSince
        appendedSince = [:]
        rowsStale = false
        let entryBefore = cursorEntry
        let needle = filter.isEmpty ? nil : filterNeedle
        for (s, seen) in appended {
            // Not on screen (under a collapsed level): nothing to add.
            guard let last = rows.lastIndex(where: { $0.node == s }) else { continue }
            let depth = rows[last].depth
            var at = last + 1
            while at < rows.count && rows[at].depth > depth { at += 1 }
            let children = nodes[Int(s)].children
            var added: [Row] = []
            for i in seen..<children.count where needle.map({ children.matches(i, needle: $0) }) ?? true {
                added.append(Row(node: s, index: Int32(i), depth: depth))
            }
            guard !added.isEmpty else { continue }
            // The placeholder ("loading…") gives its line to the first entry.
            let placeholder = rows[last].index < 0
            rows.replaceSubrange((placeholder ? last : at)..<at, with: added)
            entryRowCount += added.count
            if cursor >= at { cursor += added.count - (placeholder ? 1 : 0) }
        }
        if cursorEntry != entryBefore { cursorMovedByRows = true }
        anchor = currentAnchor()
        keepCursorVisible()
        return true
    }

    /// A rebuild that moved the cursor to another object (a jump's target arriving, a
    /// relisting) asks for its headers, as a key would: else the details pane says "loading
    /// headers…" with nothing asked.
    mutating func headForMovedCursor() -> [BrowserEffect] {
        guard cursorMovedByRows else { return [] }
        cursorMovedByRows = false
        return scheduleHead()
    }

    /// Flattens the expanded tree into rows, keeping the cursor on the same entry.
    mutating func rebuildRows() {
        rowsStale = false
        rowsInvalid = false
        appendedSince = [:]
        let entryBefore = cursorEntry
        let keep = anchor ?? currentAnchor()
        var out = RowList()
        out.reserveCapacity(rows.count)
        visit(serialOf(root)!, depth: 0, into: &out)
        rows = out
        entryRowCount = out.reduce(0) { $0 + ($1.index >= 0 ? 1 : 0) }
        var newCursor: Int?
        var settled = true
        if let p = pendingSelect, let s = serials[p.node], let i = rowIndex(node: s, name: p.name) {
            newCursor = i
            pendingSelect = nil
        } else if let k = keep {
            if let i = rowIndex(node: k.node, name: k.name) {
                newCursor = i
            } else if case .loading = nodes[Int(k.node)].state {
                // Its level is being listed again: wait on its last row shown so far, and
                // keep looking for the entry as pages arrive.
                newCursor = rows.lastIndex { $0.node == k.node }
                settled = false
            } else {
                // Gone (deleted, filtered out): the entry now in its place, else the nearest.
                var best: (Int, Int32)?
                for (i, r) in rows.enumerated() where r.node == k.node && r.index >= 0 {
                    let d = r.index >= k.index ? r.index - k.index : (k.index - r.index) * 2 + 1
                    if best == nil || d < best!.1 { best = (i, d) }
                }
                newCursor = best?.0
            }
        }
        cursor = max(0, min(newCursor ?? cursor, rows.count - 1))
        if cursorEntry != entryBefore { cursorMovedByRows = true }
        if settled { anchor = currentAnchor() }
        keepCursorVisible()
    }

    /// The row showing the child of level `s` named exactly `name` (its bytes), if one does.
    func rowIndex(node s: Int32, name: String) -> Int? {
        guard Int(s) < nodes.count else { return nil }
        let children = nodes[Int(s)].children
        let bytes = Array(name.utf8)
        return rows.firstIndex { $0.node == s && $0.index >= 0 && Int($0.index) < children.count
            && children.nameEquals(Int($0.index), bytes) }
    }

    /// The entry under the cursor, to come back to after the rows change.
    func currentAnchor() -> CursorAnchor? {
        guard let r = cursorRow, let c = child(of: r) else { return nil }
        return CursorAnchor(node: r.node, name: c.name, index: r.index)
    }

    mutating func visit(_ s: Int32, depth: Int, into out: inout RowList) {
        let ord = order(of: s)
        // Which children the filter keeps, as bits (narrowed from the last keystroke's).
        var kept: [UInt64]?
        // A header filter (`cc:no-cache`) matches read headers, entry by entry, not names.
        let headerFiltering = !filter.isEmpty && HeaderFilter(filter) != nil
        if !filter.isEmpty && !headerFiltering {
            let count = nodes[Int(s)].children.count
            var bits = [UInt64](repeating: 0, count: (count + 63) / 64)
            for i in nodes[Int(s)].children.filterHits(needle: filterNeedle) {
                bits[Int(i) >> 6] |= 1 << UInt64(i & 63)
            }
            kept = bits
        }
        let node = nodes[Int(s)]
        let children = node.children
        var shown = 0
        for n in 0..<children.count {
            let i = ord.map { $0[n] } ?? Int32(n)
            var sub: Int32?
            if children.isContainer(Int(i)), let id = node.id.child(children[Int(i)]), let cs = serials[id],
               nodes[Int(cs)].expanded { sub = cs }
            if let kept, kept[Int(i) >> 6] & (1 << UInt64(i & 63)) == 0 && sub == nil { continue }
            if headerFiltering && !matches(children[Int(i)], in: node.id) && sub == nil { continue }
            out.append(Row(node: s, index: i, depth: Int16(depth)))
            shown += 1
            if let sub { visit(sub, depth: depth + 1, into: &out) }
        }
        if shown == 0 {
            // Loading, empty, failed or filtered out: one placeholder line says which.
            out.append(Row(node: s, index: -1, depth: Int16(depth)))
        }
    }
}
