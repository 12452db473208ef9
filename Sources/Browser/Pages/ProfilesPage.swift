import Operations

/// `P`: the profiles of ~/.aws/config, ~/.aws/credentials and pail's file (name, region,
/// endpoint, where they come from), the current one marked; Enter connects as the selected
/// one without quitting. The session builds the new client off the UI thread; the tree then
/// starts again at the bucket list. A profile that cannot connect leaves the old one in use.
public struct ProfilesPage: Page {
    public static let name = "Profiles"
    public static func example(in state: inout BrowserState) -> ProfilesPage {
        var page = ProfilesPage(request: nil)
        page.list = ProfileList(entries: [
            ProfileEntry(name: "default", region: "eu-west-1", endpoint: nil, sources: ["/home/ops/.aws/config"],
                         readOnly: false),
            ProfileEntry(name: "local", region: "us-east-1", endpoint: "http://127.0.0.1:8333",
                         sources: ["/home/ops/.aws/credentials", "/home/ops/.config/pail/config"], readOnly: false),
            ProfileEntry(name: "prod", region: "us-east-1", endpoint: nil,
                         sources: ["/home/ops/.aws/config", "/home/ops/.config/pail/config"], readOnly: true),
        ], current: "local")
        page.selected = 1
        return page
    }

    public internal(set) var list: ProfileList?
    public internal(set) var selected = 0
    /// The listing of the profiles, then the switch, the page waits for.
    public internal(set) var request: RequestID?
    public internal(set) var switching: (id: RequestID, name: String)?

    public init(request: RequestID?) { self.request = request }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.up, .char("k")], .up, "Previous profile", footer: "select", footerKeys: "↑↓"),
            Binding([.down, .char("j")], .down, "Next profile"),
            Binding([.enter], .confirm, "Switch to the selected profile (the tree starts again at the bucket list)",
                    footer: "switch"),
            Binding([.escape, .char("q"), .char("P")], .cancel, "Close", footer: "close", footerKeys: "Esc"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        let count = list?.entries.count ?? 0
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, count - 1), selected + 1)
        case .confirm:
            guard let list, list.entries.indices.contains(selected), switching == nil else { return .stay }
            let name = list.entries[selected].name
            if name == list.current {
                state.setStatus("already using profile \(Formatting.safe(name))", error: false)
                return .close
            }
            let id = state.ask(.profiles)
            switching = (id, name)
            state.setStatus("connecting as profile \(Formatting.safe(name))…", error: false)
            return .stay([.switchProfile(id: id, name: name)])
        default: return .close
        }
        return .stay
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        switch event {
        case .profilesListed(let id, let result):
            guard id == request else { return nil }
            switch result {
            case .success(let l):
                list = l
                selected = l.entries.firstIndex { $0.name == l.current } ?? 0
                return .stay
            case .failure(let e):
                state.setStatus(e.message, error: true)
                return .close
            }
        case .profileSwitched(let id, _, let result):
            guard id == switching?.id else { return nil }
            switching = nil
            // The state started again at the bucket list (handleProfileEvent); a failure keeps
            // the list open on the old profile.
            if case .success = result { return .close }
            return .stay
        default: return nil
        }
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let entries = list?.entries ?? []
        let inner = Renderer.box(title: "Profiles", lines: max(2, entries.count + 2), into: &screen, layout: layout)
        if list == nil {
            let text = state.isOpen(request) ? "reading the profiles…" : "no profiles"
            screen.put(text, row: inner.top, column: inner.left, style: state.isOpen(request) ? .loading : .dim)
            return
        }
        if entries.isEmpty {
            screen.put("no profiles in ~/.aws/config, ~/.aws/credentials or pail's file", row: inner.top,
                       column: inner.left, style: .dim, maxWidth: inner.width)
        }
        let nameWidth = min(20, entries.map { DisplayWidth.of(Formatting.safe($0.name)) }.max() ?? 4)
        let regionWidth = min(14, max(6, entries.map { DisplayWidth.of($0.region ?? "") }.max() ?? 6))
        let endpointWidth = min(32, max(10, entries.map { DisplayWidth.of($0.endpoint ?? "AWS") }.max() ?? 10))
        func pad(_ s: String, _ n: Int) -> String {
            let cut = DisplayWidth.truncate(s, to: n)
            return cut + String(repeating: " ", count: max(0, n - DisplayWidth.of(cut)))
        }
        let rows = entries.prefix(max(0, layout.treeHeight - 4))
        for (i, e) in rows.enumerated() {
            let mark = e.name == list?.current ? "*" : " "
            let sources = e.sources.map(Self.shortPath).joined(separator: ", ")
            let ro = e.readOnly ? "  read-only" : ""
            let line = "\(mark) \(pad(Formatting.safe(e.name), nameWidth))  \(pad(e.region ?? "-", regionWidth))  "
                + "\(pad(Formatting.safe(e.endpoint ?? "AWS"), endpointWidth))  \(Formatting.safe(sources))\(ro)"
            let style: CellStyle = i == selected ? .selected : .normal
            if i == selected {
                screen.fill(row: inner.top + i, from: inner.left - 1, to: inner.left + inner.width + 1,
                            style: .selected)
            }
            screen.put(line, row: inner.top + i, column: inner.left, style: style, maxWidth: inner.width)
        }
        let note: String
        if let s = switching {
            note = "connecting as \(Formatting.safe(s.name))…"
        } else {
            note = "* in use: \(Formatting.safe(list?.current ?? "")); Enter switches, the tree starts at the buckets"
        }
        screen.put(note, row: inner.top + rows.count + 1, column: inner.left,
                   style: switching != nil ? .loading : .dim, maxWidth: inner.width)
    }

    /// The file's last two path components (`.aws/config`, `pail/config`): enough to tell them apart.
    static func shortPath(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.suffix(2).joined(separator: "/")
    }
}

extension Action {
    public static let profiles: Action = "profiles"
}

extension BrowserState {
    /// The answers of the profile and bookmark requests that change the state itself.
    mutating func handleProfileEvent(_ event: BrowserEvent) -> [BrowserEffect] {
        switch event {
        case .profileSwitched(_, let name, let result):
            switch result {
            case .success(let s):
                var effects = restartAtBucketList()
                profile = name
                readOnly = s.readOnly
                readOnlyBuckets = s.readOnlyBuckets
                effects.append(setExpiringStatus("now using profile \(Formatting.safe(name))"))
                return effects
            case .failure(let e):
                let still = profile.map { "; still using \(Formatting.safe($0))" } ?? "; nothing changed"
                setStatus("cannot switch to profile \(Formatting.safe(name)): \(e.message)\(still)", error: true)
            }
        case .bookmarkSaved(_, let name, let uri, let error):
            if let error {
                setStatus("cannot save bookmark \(name): \(error.message)", error: true)
            } else {
                bookmarks[name] = uri
                return [setExpiringStatus("bookmark \(name) saved: \(Formatting.safe(uri)) (' \(name) goes there)")]
            }
        default: break
        }
        return []
    }

    /// The tree as at start on the bucket list, for another profile's client: what the old
    /// client listed, marked, measured or headed is gone; the pages, the sort, the settings and
    /// the request counters stay (an old answer's id or token never matches a new request).
    mutating func restartAtBucketList() -> [BrowserEffect] {
        var (fresh, effects) = BrowserState.start(bucket: nil, prefix: "", width: width, height: height)
        fresh.pages = pages
        fresh.status = status
        fresh.statusSerial = statusSerial
        fresh.showDetails = showDetails
        fresh.sort = sort
        fresh.transferRows = transferRows
        fresh.nextRequest = nextRequest
        // start() asked for the bucket list with the fresh counter: ask again, so no id repeats.
        if let first = fresh.bucketListRequest {
            fresh.openRequests[first] = nil
            fresh.bucketListRequest = fresh.ask(.bucketList)
        }
        fresh.nextToken = nextToken
        fresh.inputsSeen = inputsSeen
        fresh.showsInputCount = showsInputCount
        fresh.readOnly = readOnly
        fresh.readOnlyBuckets = readOnlyBuckets
        fresh.profile = profile
        fresh.bookmarks = bookmarks
        fresh.keyOverrides = keyOverrides
        fresh.questionDrawn = questionDrawn
        fresh.keysDroppedBeforeQuestion = keysDroppedBeforeQuestion
        // The session cancelled the old client's listings and measures: their ids close here.
        effects = activeListings.keys.sorted().map { BrowserEffect.cancelListing(token: $0) } + effects
        self = fresh
        return effects
    }
}
