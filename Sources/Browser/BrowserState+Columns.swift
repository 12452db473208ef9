import Foundation
import Operations

extension SortKey {
    public var isHeaderColumn: Bool { self == .cacheControl || self == .contentType || self == .contentEncoding }
}

/// `H`: Cache-Control, Content-Type and Content-Encoding beside the object rows on screen.
/// They are read lazily: one HEAD per row on screen that has none yet, at most
/// `columnsInFlight` at a time, and those whose rows scrolled away before being sent are
/// cancelled. What was read stays, keyed by the object's key bytes (outside the tree's
/// nodes, so a level of 100,000 objects costs nothing until its rows are on screen), until
/// its level is listed again (`r`, an edit, a delete) or a details HEAD shows another ETag.
extension BrowserState {
    public static let columnsInFlight = 8

    /// Whether the columns are drawn and fetched: `H`, or a header filter (`cc:...`).
    public var columnsShown: Bool { showColumns || (!filter.isEmpty && HeaderFilter(filter) != nil) }

    mutating func toggleColumns() -> [BrowserEffect] {
        showColumns.toggle()
        if !showColumns && sort.key.isHeaderColumn {
            sort.key = .name
            rebuildRows()
        }
        setStatus(showColumns ? "header columns: Cache-Control, Content-Type, Content-Encoding (o sorts by them)"
                              : "header columns hidden", error: false)
        return []  // the rows on screen are asked for by `columnHeads` after this key
    }

    /// The object a row shows, or nil for containers and placeholders.
    func objectEntry(of row: Row) -> MarkedEntry? {
        guard let c = child(of: row), case .object(let o) = c else { return nil }
        let parent = nodeIDs[Int(row.node)]
        return MarkedEntry(bucket: parent.bucket, key: parent.prefix + o.name, isPrefix: false)
    }

    /// HEADs for the object rows on screen without columns, and cancels for the ones asked
    /// whose rows are no longer on screen. Runs after every event, so it sees every scroll.
    mutating func columnHeads() -> [BrowserEffect] {
        guard !rowsStale, columnsShown || !columnRequests.isEmpty else { return [] }
        var visible = Set<MarkedEntry>()
        var wanted: [(MarkedEntry, Int32)] = []
        if columnsShown && !rows.isEmpty {
            let end = min(rows.count, scroll + max(1, treeHeight))
            for i in min(scroll, end)..<end {
                guard let e = objectEntry(of: rows[i]) else { continue }
                visible.insert(e)
                if columns[e] == nil && columnRequests[e] == nil { wanted.append((e, rows[i].node)) }
            }
        }
        var effects: [BrowserEffect] = []
        let gone = columnRequests.filter { !visible.contains($0.key) }
        if !gone.isEmpty {
            for (e, r) in gone {
                columnRequests[e] = nil
                openRequests[r.id] = nil
            }
            effects.append(.cancelHeadColumns(ids: gone.values.map(\.id).sorted()))
        }
        for (e, node) in wanted.prefix(max(0, Self.columnsInFlight - columnRequests.count)) {
            let id = ask(.columns)
            columnRequests[e] = (id, node)
            effects.append(.headColumns(id: id, bucket: e.bucket, key: e.key))
        }
        return effects
    }

    mutating func receiveColumns(_ event: BrowserEvent) {
        guard case .columnsHeaded(let id, let bucket, let key, let result) = event else { return }
        let entry = MarkedEntry(bucket: bucket, key: key, isPrefix: false)
        guard let asked = columnRequests[entry], asked.id == id else { return }  // cancelled since
        columnRequests[entry] = nil
        switch result {
        case .success(let c): columns[entry] = .loaded(c)
        case .failure(let e): columns[entry] = .failed(e.message)
        }
        // A filter by a header drops the row once its value is known. A sort by a header does
        // not move it: rows moving up would bring unread rows onto the screen, whose answers
        // would move them in turn, and the whole level would be read screen by screen. The
        // sort orders what was read when it was asked for (see `headerSortStatus`).
        if HeaderFilter(filter) != nil, Int(asked.node) < nodes.count {
            nodes[Int(asked.node)].order = nil
            rowsStale = true
        }
    }

    /// A details HEAD read the same headers: a column already read under another ETag is
    /// replaced (the object changed since).
    mutating func noteColumns(_ entry: MarkedEntry, from rows: [DetailRow]) {
        guard case .loaded(let old)? = columns[entry] else { return }
        func stored(_ name: String) -> String? { rows.first { $0.name == name }?.stored?.value }
        let etag = rows.first { $0.name == "ETag" }?.value ?? ""
        guard etag != old.etag else { return }
        columns[entry] = .loaded(HeaderColumns(etag: etag, cacheControl: stored("Cache-Control"),
                                               contentType: stored("Content-Type"),
                                               contentEncoding: stored("Content-Encoding")))
    }

    /// A level listed again: its objects may have changed, so their columns are read again.
    mutating func dropColumns(under id: NodeID) {
        guard !id.isBucketList else { return }
        func outside(_ e: MarkedEntry) -> Bool { e.bucket != id.bucket || !e.key.hasBytePrefix(id.prefix) }
        if !columns.isEmpty { columns = columns.filter { outside($0.key) } }
        if !publicAccess.isEmpty { publicAccess = publicAccess.filter { outside($0.key) } }
    }

    /// Whether an entry passes the filter: by name, or by a header column (`cc:no-cache`).
    /// Under a header filter, objects whose headers are not read yet stay listed (so they
    /// come on screen and get read), prefixes go.
    func matches(_ c: TreeChild, in parent: NodeID) -> Bool {
        // No filter (the usual case, once per entry of every rebuild): nothing to parse.
        guard !filter.isEmpty, let hf = HeaderFilter(filter) else { return matches(c) }
        guard case .object(let o) = c else { return false }
        switch columns[MarkedEntry(bucket: parent.bucket, key: parent.prefix + o.name, isPrefix: false)] {
        case nil: return true
        case .failed?: return false
        case .loaded(let h)?: return hf.matches(h.value(hf.column))
        }
    }

    /// Said when a sort by a header is chosen: it orders only the objects whose headers were
    /// read (those of the rows shown so far), the others follow in key order.
    mutating func headerSortStatus() {
        for i in nodes.indices where nodes[i].orderSort?.key.isHeaderColumn == true { nodes[i].order = nil }
        rebuildRows()
        guard let row = cursorRow ?? rows.first, Int(row.node) < nodes.count else { return }
        let node = nodes[Int(row.node)]
        var objects = 0
        var read = 0
        for c in node.children {
            guard case .object(let o) = c else { continue }
            objects += 1
            if columns[MarkedEntry(bucket: node.id.bucket, key: node.id.prefix + o.name, isPrefix: false)] != nil {
                read += 1
            }
        }
        guard objects > 0 else { return }
        let rest = read < objects ? "; the others after them in key order, O sorts again" : ""
        setStatus("sorted by \(sort.key.rawValue) as read so far (\(read) of \(Formatting.things(objects, "object"))"
                  + "\(rest))", error: false)
    }

    /// A level's children by a header value: containers first, then objects by value (reversed
    /// if asked), then those lacking the header, then those not read yet, each group in key order.
    func headerOrder(of s: Int32) -> [Int32] {
        let node = nodes[Int(s)]
        let key = sort.key
        let ranked: [(rank: Int, value: String)] = node.children.map { c in
            guard case .object(let o) = c else { return (0, "") }
            let entry = MarkedEntry(bucket: node.id.bucket, key: node.id.prefix + o.name, isPrefix: false)
            switch columns[entry] {
            case .loaded(let h)?:
                guard let v = h.value(key), !v.isEmpty else { return (2, "") }
                return (1, v.lowercased())
            case .failed?: return (3, "")
            case nil: return (4, "")
            }
        }
        return (0..<Int32(node.children.count)).sorted { a, b in
            let x = ranked[Int(a)], y = ranked[Int(b)]
            if x.rank != y.rank { return x.rank < y.rank }
            if x.value != y.value {
                // Reversed, the values are; the rows without one (not read) stay last.
                return sort.reversed ? y.value.utf8.lexicographicallyPrecedes(x.value.utf8)
                    : x.value.utf8.lexicographicallyPrecedes(y.value.utf8)
            }
            return a < b
        }
    }
}

extension Action {
    public static let toggleColumns: Action = "toggleColumns"
}
