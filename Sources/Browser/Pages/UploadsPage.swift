import Operations

/// The incomplete multipart uploads of a bucket: stored and billed, and in no listing of
/// objects. Each with its age, parts and size; marked ones (or the one under the cursor) are
/// aborted after a y.
public struct UploadsPage: Page {
    public static let name = "Uploads"
    public static func example(in state: inout BrowserState) -> UploadsPage {
        var page = UploadsPage(bucket: "site", prefix: "")
        page.rows = [
            UploadRow(key: "media/video.mp4", uploadId: "2~aBcDeFgHiJkLmNoP", initiated: 1_700_000_000, parts: 3,
                      size: 15_728_640),
            UploadRow(key: "backup/db.sql.gz", uploadId: "2~qRsTuVwXyZ012345", initiated: 1_690_000_000, parts: 1,
                      size: 5_242_880),
        ]
        page.marked = ["2~qRsTuVwXyZ012345"]
        return page
    }

    public let bucket: String
    public let prefix: String
    public internal(set) var rows: [UploadRow] = []
    /// Upload ids marked for the abort.
    public internal(set) var marked: Set<String> = []
    public internal(set) var cursor = 0
    public internal(set) var request: RequestID?
    public internal(set) var error: String?
    /// How many uploads wait for the y.
    public internal(set) var pending: Int?

    public init(bucket: String, prefix: String, request: RequestID? = nil) {
        self.bucket = bucket
        self.prefix = prefix
        self.request = request
    }

    public var question: String? { pending.map { "abort \($0)" } }

    func targets() -> [UploadRow] {
        let m = rows.filter { marked.contains($0.uploadId) }
        if !m.isEmpty { return m }
        return rows.indices.contains(cursor) ? [rows[cursor]] : []
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        if pending != nil {
            return [
                Binding([.char("y"), .char("Y")], .confirm, "Abort the uploads: their parts are deleted",
                        footer: "abort", dangerous: true),
                Binding([], .cancel, "Cancel", group: .anyOther, footer: "cancel"),
            ]
        }
        let refusal = Refusal.readOnly(state.readOnly ?? state.readOnlyBuckets[bucket])
        return CleanupList.movementBindings + [
            Binding([.char(" ")], .toggleMark, "Mark or unmark the upload", footer: "mark"),
            Binding([.char("u")], .clearMarks, "Clear all marks"),
            Binding([.char("a"), .char("d"), .delete], .abortUpload,
                    "Abort the marked uploads, or the one under the cursor", footer: "abort", dangerous: true,
                    disabled: refusal),
            Binding([.char("r")], .refresh, "List again"),
            Binding([.escape, .char("q")], .dismiss, "Back to the tree", footer: "back", footerKeys: "Esc"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        if let n = pending {
            pending = nil
            guard action == .confirm, n > 0 else { return .stay }
            let id = state.ask(.operation)
            request = id
            state.setStatus("aborting \(Formatting.things(n, "upload"))…", error: false)
            return .stay([.abortUploads(id: id, bucket: bucket, uploads: targets())])
        }
        let page = CleanupList.rowsShown(state.treeHeight)
        switch action {
        case .up: cursor -= 1
        case .down: cursor += 1
        case .pageUp: cursor -= page
        case .pageDown: cursor += page
        case .top: cursor = 0
        case .bottom: cursor = rows.count - 1
        case .toggleMark:
            if rows.indices.contains(cursor) {
                let id = rows[cursor].uploadId
                if marked.remove(id) == nil { marked.insert(id) }
                cursor += 1
            }
        case .clearMarks: marked.removeAll()
        case .abortUpload:
            let n = targets().count
            if n > 0 { pending = n } else { state.setStatus("no upload to abort", error: false) }
        case .refresh:
            return .stay(relist(in: &state))
        default: return .close
        }
        cursor = max(0, min(cursor, rows.count - 1))
        return .stay
    }

    mutating func relist(in state: inout BrowserState) -> [BrowserEffect] {
        let id = state.ask(.uploads)
        request = id
        return [.listUploads(id: id, bucket: bucket, prefix: prefix)]
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        switch event {
        case .uploadsListed(let id, _, let result):
            guard id == request else { return nil }
            switch result {
            case .success(let r):
                rows = r
                error = nil
                // Known now at no cost: the bucket's details pane says so.
                if prefix.isEmpty {
                    state.uploadTotals[bucket] = UploadTotal(count: r.count, bytes: r.reduce(0) { $0 + $1.size })
                }
                marked = marked.filter { m in r.contains { $0.uploadId == m } }
            case .failure(let e): error = e.message
            }
            cursor = max(0, min(cursor, rows.count - 1))
            return .stay
        case .operationFinished(let id, _, _):
            guard id == request else { return nil }
            marked.removeAll()
            return .stay(relist(in: &state))
        default: return nil
        }
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let top = layout.treeTop
        let width = screen.width
        // The whole body, the details pane below the tree included: it shows the tree's object.
        let body = max(1, layout.height - 3)
        for y in top..<(top + body) { screen.fill(row: y, style: .normal) }
        let total = rows.reduce(Int64(0)) { $0 + $1.size }
        var header = "Incomplete uploads in s3://\(bucket)/\(prefix)  \(Formatting.things(rows.count, "upload")), "
            + "\(Formatting.size(total)) stored"
        if !marked.isEmpty { header += ", \(marked.count) marked" }
        if state.isOpen(request) { header += "  (listing…)" }
        screen.put(Formatting.safe(header), row: top, column: 0, style: .header, maxWidth: width)
        let sizeW = 10, dateW = 16, partsW = 7
        let keyW = max(10, width - sizeW - dateW - partsW - 5)
        let y0 = top + 1
        screen.put("KEY", row: y0, column: 2, style: .detailName)
        screen.put("SIZE", row: y0, column: 2 + keyW + sizeW - 4, style: .detailName)
        screen.put("PARTS", row: y0, column: 3 + keyW + sizeW, style: .detailName)
        screen.put("STARTED", row: y0, column: 4 + keyW + sizeW + partsW, style: .detailName)
        let h = CleanupList.rowsShown(body)
        let scroll = max(0, cursor - h + 1)
        for (i, r) in rows.dropFirst(scroll).prefix(h).enumerated() {
            let y = y0 + 1 + i
            let isMarked = marked.contains(r.uploadId)
            let style: CellStyle = scroll + i == cursor ? (isMarked ? .markedSelected : .selected)
                                                        : (isMarked ? .marked : .normal)
            screen.fill(row: y, style: style)
            screen.put(isMarked ? "*" : " ", row: y, column: 0, style: style)
            screen.put(Formatting.safe(r.key), row: y, column: 2, style: style, maxWidth: keyW - 1)
            let size = Formatting.size(r.size)
            screen.put(size, row: y, column: 2 + keyW + sizeW - DisplayWidth.of(size), style: style)
            screen.put(String(r.parts), row: y, column: 3 + keyW + sizeW, style: style)
            screen.put(Formatting.date(r.initiated), row: y, column: 4 + keyW + sizeW + partsW, style: style,
                       maxWidth: dateW)
        }
        let after = y0 + 1 + min(rows.count, h)
        if let error {
            screen.put(Formatting.safe(error), row: after, column: 2, style: .error, maxWidth: width - 4)
        } else if rows.isEmpty && !state.isOpen(request) {
            screen.put("no incomplete uploads", row: y0 + 1, column: 2, style: .dim)
        }
        if let n = pending {
            let size = targets().reduce(Int64(0)) { $0 + $1.size }
            screen.put("Abort \(Formatting.things(n, "upload")) (\(Formatting.size(size)) of parts)? "
                       + "y aborts, any other key cancels", row: min(after + 1, top + body - 1),
                       column: 2, style: .prompt, maxWidth: width - 4)
        }
    }
}

extension Action {
    public static let abortUpload: Action = "abortUpload"
}
