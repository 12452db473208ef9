import Operations

/// The hashed static files (`css/site.55e7cbb9ba48.css`) below a prefix that its Django
/// `staticfiles.json` no longer names, with their ages and total size, all marked for the
/// usual delete. Files the manifest names, unhashed originals, and prefixes without a
/// manifest never show here: the finder leaves them out.
public struct StaleStaticPage: Page, CleanupScanning {
    public static let name = "Stale static files"
    public static func example(in state: inout BrowserState) -> StaleStaticPage {
        var page = StaleStaticPage(list: CleanupList(bucket: "site", prefix: "static/"))
        page.take([
            CleanupRow(key: "static/css/site.55e7cbb9ba48.css", size: 12_000, modified: 1_690_000_000),
            CleanupRow(key: "static/js/app.0a1b2c3d4e5f.js", size: 48_000, modified: 1_695_000_000),
        ], scanned: 120, in: &state)
        return page
    }

    public internal(set) var list: CleanupList
    public internal(set) var request: RequestID?
    var awaitingDelete = false
    var scanKind: CleanupScan { .staleStatic }

    public init(list: CleanupList, request: RequestID? = nil) {
        self.list = list
        self.request = request
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        CleanupList.movementBindings + list.operationBindings(in: state)
            + scanBindings(refresh: "Look again", in: state)
    }

    /// Takes found rows, each marked for the delete.
    mutating func take(_ rows: [CleanupRow], scanned: Int, in state: inout BrowserState) {
        let before = list.rows.count
        list.add(rows, scanned: scanned)
        for r in list.rows.dropFirst(before) { state.marks[list.entry(r)] = r.size }
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        if list.move(action, treeHeight: state.treeHeight) { return .stay }
        if action == .delete { awaitingDelete = true }
        if let outcome = list.operate(action, in: &state) { return outcome }
        switch action {
        case .cancel:
            guard let request, state.isOpen(request) else { return .close }
            return stopScan(in: &state) ?? .stay
        case .refresh:
            return .stay(rescan(in: &state))
        default: return .stay
        }
    }


    /// ^C stops the listing as Esc does, instead of quitting.
    public mutating func interrupt(in state: inout BrowserState) -> PageOutcome? { stopScan(in: &state) }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        receiveScan(event, in: &state)
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let total = list.rows.reduce(Int64(0)) { $0 + $1.size }
        list.draw(title: "Stale static files in", note: "stale, \(Formatting.size(total))",
                  running: state.isOpen(request), state: state, into: &screen, layout: layout)
    }
}
