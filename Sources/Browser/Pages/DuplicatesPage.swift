import Operations

/// Objects below a prefix with the same size and ETag, group by group, the most bytes to free
/// first. The oldest of each group is kept (unmarked), the others are marked for the usual
/// delete; Enter keeps the row under the cursor instead.
public struct DuplicatesPage: Page, CleanupScanning {
    public static let name = "Duplicates"
    public static func example(in state: inout BrowserState) -> DuplicatesPage {
        var page = DuplicatesPage(list: CleanupList(bucket: "site", prefix: "media/"))
        page.take([
            CleanupRow(key: "media/photo.jpg", size: 52_000, modified: 1_700_000_000,
                       etag: "9e107d9d372bb6826bd81d3542a419d6", group: 0),
            CleanupRow(key: "media/photo_AbC1234.jpg", size: 52_000, modified: 1_700_100_000,
                       etag: "9e107d9d372bb6826bd81d3542a419d6", group: 0),
            CleanupRow(key: "media/logo.png", size: 2_000, modified: 1_700_000_000,
                       etag: "e4d909c290d0fb1ca068ffaddf22cbd0", group: 1),
            CleanupRow(key: "media/2023/logo.png", size: 2_000, modified: 1_700_200_000,
                       etag: "e4d909c290d0fb1ca068ffaddf22cbd0", group: 1),
        ], scanned: 40, in: &state)
        page.list.cursor = 1
        return page
    }
    public static let helpNotes: [(String, String)] = [
        ("Same", "same size and ETag; a multipart ETag only matches a copy uploaded with the same parts"),
    ]

    public internal(set) var list: CleanupList
    public internal(set) var request: RequestID?
    var awaitingDelete = false
    var scanKind: CleanupScan { .duplicates }

    public init(list: CleanupList, request: RequestID? = nil) {
        self.list = list
        self.request = request
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        return CleanupList.movementBindings + [
            Binding([.enter], .keepThis, "Keep this one of its group, mark the others", footer: "keep this"),
        ] + list.operationBindings(in: state) + scanBindings(refresh: "Look again", in: state)
    }

    /// Takes found rows and marks all but the first (the oldest) of each group.
    mutating func take(_ rows: [CleanupRow], scanned: Int, in state: inout BrowserState) {
        let before = list.rows.count
        list.add(rows, scanned: scanned)
        for (i, r) in list.rows.enumerated().dropFirst(before) {
            let first = i == 0 || list.rows[i - 1].group != r.group
            if !first { state.marks[list.entry(r)] = r.size }
        }
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        if list.move(action, treeHeight: state.treeHeight) { return .stay }
        if action == .delete { awaitingDelete = true }
        if let outcome = list.operate(action, in: &state) { return outcome }
        switch action {
        case .keepThis:
            guard list.rows.indices.contains(list.cursor), let group = list.rows[list.cursor].group else {
                return .stay
            }
            for (i, r) in list.rows.enumerated() where r.group == group {
                if i == list.cursor { state.marks[list.entry(r)] = nil } else { state.marks[list.entry(r)] = r.size }
            }
        case .cancel:
            guard let request, state.isOpen(request) else { return .close }
            return stopScan(in: &state) ?? .stay
        case .refresh:
            return .stay(rescan(in: &state))
        default: break
        }
        return .stay
    }


    /// ^C stops the listing as Esc does, instead of quitting.
    public mutating func interrupt(in state: inout BrowserState) -> PageOutcome? { stopScan(in: &state) }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        receiveScan(event, in: &state)
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let groups = Set(list.rows.compactMap(\.group)).count
        let reclaim = list.rows.enumerated().filter { i, r in i > 0 && list.rows[i - 1].group == r.group }
            .reduce(Int64(0)) { $0 + $1.1.size }
        // A multipart ETag (md5-N) is no MD5 of the bytes: only copies uploaded in the same parts match.
        let multipart = list.rows.contains { $0.etag.contains("-") } ? " (multipart ETags: same parts only)" : ""
        list.draw(title: "Duplicates in", note: "in \(Formatting.things(groups, "group")), "
                  + "\(Formatting.size(reclaim)) to free" + multipart, running: state.isOpen(request), state: state,
                  into: &screen, layout: layout)
    }
}

extension Action {
    public static let keepThis: Action = "keepThis"
}
