import Operations

/// The objects below a prefix that match a find's criteria: rows come in while the recursive
/// listing runs, with the count listed and matched; Esc stops the listing, then closes.
/// Marks, delete, header edit, download, copy and URL work on the rows as in the tree.
public struct FindPage: Page, CleanupScanning {
    public static let name = "Find"
    public static func example(in state: inout BrowserState) -> FindPage {
        var list = CleanupList(bucket: "site", prefix: "media/")
        list.add([
            CleanupRow(key: "media/2023/big.jpg", size: 3_400_000, modified: 1_700_000_000,
                       etag: "9e107d9d372bb6826bd81d3542a419d6"),
            CleanupRow(key: "media/poster.jpg", size: 1_200_000, modified: 1_700_100_000,
                       etag: "e4d909c290d0fb1ca068ffaddf22cbd0"),
        ], scanned: 1234)
        return FindPage(list: list, criteria: "*.jpg --larger 1M")
    }

    public internal(set) var list: CleanupList
    public let criteria: String
    /// The scan the page waits for: open while the listing runs.
    public internal(set) var request: RequestID?
    /// A delete was asked from this page: once it is done, the search runs again.
    var awaitingDelete = false
    var scanKind: CleanupScan { .find(criteria: criteria) }

    public init(list: CleanupList, criteria: String, request: RequestID? = nil) {
        self.list = list
        self.criteria = criteria
        self.request = request
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        CleanupList.movementBindings + list.operationBindings(in: state)
            + scanBindings(refresh: "Search again", in: state)
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
        default:
            return .stay
        }
    }


    /// ^C stops the listing as Esc does, instead of quitting.
    public mutating func interrupt(in state: inout BrowserState) -> PageOutcome? { stopScan(in: &state) }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        receiveScan(event, in: &state)
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        list.draw(title: "Find \(criteria) in", note: "matched", running: state.isOpen(request), state: state,
                  into: &screen, layout: layout)
    }
}
