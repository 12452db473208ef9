import Operations

/// The rows a find, duplicates or stale-static page shows, and what they share: the cursor,
/// marks (the browser's own marks, so the usual delete, edit, download, copy and URL work on
/// them), and the table. Rows are held in memory, at most `limit` of them.
public struct CleanupList: Equatable, Sendable {
    /// Beyond this many rows a page keeps counting but stops holding them (about 100 bytes each).
    public static let limit = 100_000

    public var bucket: String
    /// The prefix searched: every row is below it, and operations never reach past it.
    public var prefix: String
    public var rows: [CleanupRow] = []
    public var cursor = 0
    public var scroll = 0
    public var scanned = 0
    /// Rows found beyond `limit`, counted and not held.
    public var dropped = 0
    public var error: String?
    public var cancelled = false

    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    public var matched: Int { rows.count + dropped }

    /// Takes rows from the session, below the prefix only (whatever the server answered).
    mutating func add(_ found: [CleanupRow], scanned: Int) {
        self.scanned = scanned
        for r in found where r.key.hasBytePrefix(prefix) {
            if rows.count < Self.limit { rows.append(r) } else { dropped += 1 }
        }
    }

    mutating func reset() {
        rows = []
        dropped = 0
        scanned = 0
        error = nil
        cancelled = false
    }

    func entry(_ row: CleanupRow) -> MarkedEntry { MarkedEntry(bucket: bucket, key: row.key, isPrefix: false) }
    func isMarked(_ row: CleanupRow, in state: BrowserState) -> Bool { state.marks[entry(row)] != nil }

    /// The marked rows, else the row under the cursor: keys below the prefix searched.
    func targets(in state: BrowserState) -> [String] {
        let marked = rows.filter { isMarked($0, in: state) }.map(\.key)
        if !marked.isEmpty { return marked }
        return rows.indices.contains(cursor) ? [rows[cursor].key] : []
    }

    static func rowsShown(_ treeHeight: Int) -> Int { max(1, treeHeight - 3) }

    /// Moves the cursor for the movement actions; false for any other action.
    mutating func move(_ action: Action, treeHeight: Int) -> Bool {
        let page = Self.rowsShown(treeHeight)
        switch action {
        case .up: cursor -= 1
        case .down: cursor += 1
        case .pageUp: cursor -= page
        case .pageDown: cursor += page
        case .top: cursor = 0
        case .bottom: cursor = rows.count - 1
        default: return false
        }
        clamp(treeHeight: treeHeight)
        return true
    }

    mutating func clamp(treeHeight: Int) {
        let h = Self.rowsShown(treeHeight)
        cursor = max(0, min(cursor, rows.count - 1))
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + h { scroll = cursor - h + 1 }
        scroll = max(0, scroll)
    }

    static let movementBindings: [Binding] = [
        Binding([.up, .char("k")], .up, "Move up", footer: "move", footerKeys: "↑↓"),
        Binding([.down, .char("j")], .down, "Move down"),
        Binding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
        Binding([.pageDown, .ctrl("f")], .pageDown, "Page down"),
        Binding([.home], .top, "First row"),
        Binding([.end, .char("G")], .bottom, "Last row"),
    ]

    /// The keys that work on the rows as they work in the tree.
    func operationBindings(in state: BrowserState) -> [Binding] {
        let refusal = Refusal.readOnly(state.readOnly ?? state.readOnlyBuckets[bucket])
        return [
            Binding([.char(" ")], .toggleMark, "Mark or unmark the row", footer: "mark"),
            Binding([.char("u")], .clearMarks, "Clear all marks"),
            Binding([.char("d"), .delete], .delete, "Delete the marked objects, or the one under the cursor",
                    footer: "delete", dangerous: true, disabled: refusal),
            Binding([.char("e")], .editHeaders, "Edit headers of the marked objects, or the one under the cursor",
                    footer: "edit", writes: true, disabled: refusal),
            Binding([.char("D")], .download, "Download the marked objects, or the one under the cursor"),
            Binding([.char("c")], .copyObjects, "Copy the marked objects, or the one under the cursor, to s3://…",
                    writes: true, disabled: refusal),
            Binding([.char("y")], .copyURL, "Copy a URL of the object under the cursor", footer: "url"),
        ]
    }

    /// Does a mark or an operation on the rows; nil for actions that are not one.
    mutating func operate(_ action: Action, in state: inout BrowserState) -> PageOutcome? {
        switch action {
        case .toggleMark:
            guard rows.indices.contains(cursor) else { return .stay }
            let e = entry(rows[cursor])
            if state.marks.removeValue(forKey: e) == nil { state.marks[e] = rows[cursor].size }
            cursor += 1
            clamp(treeHeight: state.treeHeight)
            return .stay
        case .clearMarks:
            state.marks.removeAll()
            return .stay
        case .delete, .editHeaders, .download, .copyObjects:
            let keys = targets(in: state)
            guard !keys.isEmpty else {
                state.setStatus("nothing to \(action == .delete ? "delete" : "work on") here", error: false)
                return .stay
            }
            let label = keys.count == 1 ? "s3://\(bucket)/\(keys[0])" : "\(keys.count) marked"
            switch action {
            case .delete:
                state.setStatus("listing what would be deleted…", error: false)
                return .stay([.planDelete(id: state.ask(.plan), bucket: bucket, keys: keys, prefixes: [])])
            case .editHeaders:
                return .open(HeaderFormPage(form: EditForm(
                    bucket: bucket, keys: keys, prefixes: [], label: label,
                    values: Array(repeating: "", count: EditForm.fields.count),
                    current: Array(repeating: nil, count: EditForm.fields.count))))
            case .download:
                return .open(PathPromptPage(purpose: .download(bucket: bucket, keys: keys, prefixes: [])))
            default:
                return .open(PathPromptPage(purpose: .copy(bucket: bucket, keys: keys, prefixes: []),
                                            text: LineEditor("s3://\(bucket)/")))
            }
        case .copyURL:
            guard rows.indices.contains(cursor) else { return .stay }
            let key = rows[cursor].key
            let id = state.ask(.urls)
            return .open(URLMenuPage(bucket: bucket, key: key, request: id),
                         [.buildURLs(id: id, bucket: bucket, key: key)])
        default:
            return nil
        }
    }

    /// The page's table: a header line, the column names, the rows; `note` after the counts.
    func draw(title: String, note: String, running: Bool, state: BrowserState, into screen: inout Screen,
              layout: Layout) {
        let top = layout.treeTop
        let width = screen.width
        // The whole body, the details pane below the tree included: it shows the tree's object.
        let body = max(1, layout.height - 3)
        for y in top..<(top + body) { screen.fill(row: y, style: .normal) }
        var header = "\(title) s3://\(bucket)/\(prefix)  \(Formatting.count(scanned)) scanned, "
            + "\(Formatting.count(matched)) \(note)"
        let marked = rows.filter { isMarked($0, in: state) }
        if !marked.isEmpty {
            header += ", \(marked.count) marked (\(Formatting.size(marked.reduce(0) { $0 + $1.size })))"
        }
        // Stopping: the listing's last answer is still on its way (a second ^C quits meanwhile).
        if running { header += cancelled ? "  (stopping…)" : "  (listing…)" } else if cancelled {
            header += "  (stopped)"
        }
        screen.put(Formatting.safe(header), row: top, column: 0, style: .header, maxWidth: width)
        // The ETag only where the key keeps room for a dated media path (56 columns at 120).
        let sizeW = 10, dateW = 16, etagW = width >= 120 ? 34 : 0
        let keyW = max(10, width - sizeW - dateW - etagW - 4)
        let y0 = top + 1
        screen.put("KEY", row: y0, column: 2, style: .detailName)
        screen.put("SIZE", row: y0, column: 2 + keyW + sizeW - 4, style: .detailName)
        screen.put("MODIFIED", row: y0, column: 3 + keyW + sizeW, style: .detailName)
        if etagW > 0 { screen.put("ETAG", row: y0, column: 4 + keyW + sizeW + dateW, style: .detailName) }
        let h = Self.rowsShown(body)
        for (i, r) in rows.dropFirst(scroll).prefix(h).enumerated() {
            let y = y0 + 1 + i
            let index = scroll + i
            let isMarked = isMarked(r, in: state)
            let style: CellStyle = index == cursor ? (isMarked ? .markedSelected : .selected)
                                                   : (isMarked ? .marked : .normal)
            screen.fill(row: y, style: style)
            // A new duplicate group starts with a rule of its own in the first column.
            let first = r.group != nil && (index == 0 || rows[index - 1].group != r.group)
            screen.put(isMarked ? "*" : (first ? "┌" : (r.group != nil ? "│" : " ")), row: y, column: 0,
                       style: style)
            // Cut from the left: the file name is what tells two results apart.
            let key = DisplayWidth.truncateLeft(Formatting.safe(r.key.droppingBytePrefix(prefix)), to: keyW - 1)
            screen.put(key, row: y, column: 2, style: style, maxWidth: keyW - 1)
            let size = Formatting.size(r.size)
            screen.put(size, row: y, column: 2 + keyW + sizeW - DisplayWidth.of(size), style: style)
            screen.put(Formatting.date(r.modified), row: y, column: 3 + keyW + sizeW, style: style, maxWidth: dateW)
            if etagW > 0 {
                screen.put(Formatting.safe(r.etag), row: y, column: 4 + keyW + sizeW + dateW, style: style,
                           maxWidth: etagW - 1)
            }
        }
        if let error {
            screen.put(Formatting.safe(error), row: y0 + 1 + min(rows.count, h), column: 2, style: .error,
                       maxWidth: width - 4)
        } else if rows.isEmpty && !running {
            screen.put("nothing found", row: y0 + 1, column: 2, style: .dim)
        } else if dropped > 0 {
            let y = top + body - 1
            screen.put("showing the first \(Formatting.count(Self.limit)); \(Formatting.count(dropped)) more not held: "
                       + "narrow the search", row: y, column: 2, style: .notice, maxWidth: width - 4)
        }
    }
}
