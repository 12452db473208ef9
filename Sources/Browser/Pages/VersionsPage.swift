import Operations

/// The versions of one object: delete one for good, or copy one over the current version.
public struct VersionsPage: Page {
    public static let name = "Versions"
    public static func example(in state: inout BrowserState) -> VersionsPage {
        var view = VersionsView(bucket: "site", key: "media/a.jpg")
        view.loading = false
        view.rows = [
            VersionRow(versionId: "3HL4kqtJlcpXroDTDmJ", isLatest: true, isDeleteMarker: false, size: 2048,
                       modified: 1_700_100_000),
            VersionRow(versionId: "2LKjd9sl3kfjLKJ3ksd", isLatest: false, isDeleteMarker: true, size: 0,
                       modified: 1_700_050_000),
            VersionRow(versionId: "1aaXkd93kdkKD93kdkD", isLatest: false, isDeleteMarker: false, size: 1024,
                       modified: 1_700_000_000),
        ]
        return VersionsPage(view: view)
    }

    public internal(set) var view: VersionsView
    /// The listing (or the delete or restore) the page waits for.
    public internal(set) var request: RequestID?

    public init(view: VersionsView, request: RequestID? = nil) {
        self.view = view
        self.request = request
    }
    public var question: String? { view.pending.map { "version \($0)" } }

    public func bindings(in state: BrowserState) -> [Binding] {
        if let pending = view.pending {
            return [
                Binding([.char("y"), .char("Y")], .confirm,
                        pending == .delete ? "Delete the version for good" : "Restore it",
                        footer: pending == .delete ? "delete for good" : "restore", dangerous: true),
                Binding([], .cancel, "Cancel", group: .anyOther, footer: "cancel"),
            ]
        }
        let refusal = Refusal.readOnly(state.readOnly ?? state.readOnlyBuckets[view.bucket])
        return [
            Binding([.up, .char("k")], .up, "Previous version", footer: "select", footerKeys: "↑↓"),
            Binding([.down, .char("j")], .down, "Next version"),
            Binding([.char("d"), .delete], .delete, "Delete the selected version for good", footer: "delete version",
                    dangerous: true, disabled: refusal),
            Binding([.char("r")], .restore, "Copy the selected version over the current one", footer: "restore version",
                    writes: true, disabled: refusal),
            Binding([], .dismiss, "Close", group: .anyOther, footer: "close", footerKeys: "Esc"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        if let pending = view.pending {
            view.pending = nil
            guard action == .confirm, view.rows.indices.contains(view.selected) else { return .stay }
            let id = view.rows[view.selected].versionId
            let ask = state.ask(.operation)
            request = ask
            return .stay([pending == .delete ? .deleteVersion(id: ask, bucket: view.bucket, key: view.key,
                                                              versionId: id)
                                             : .restoreVersion(id: ask, bucket: view.bucket, key: view.key,
                                                               versionId: id)])
        }
        switch action {
        case .up: view.selected = max(0, view.selected - 1)
        case .down: view.selected = min(max(0, view.rows.count - 1), view.selected + 1)
        case .delete: if !view.rows.isEmpty { view.pending = .delete }
        case .restore:
            if view.rows.indices.contains(view.selected) {
                let row = view.rows[view.selected]
                if row.isDeleteMarker {
                    state.setStatus("a delete marker has no data to restore; delete the marker instead", error: true)
                } else if row.isLatest {
                    state.setStatus("this is already the current version", error: false)
                } else {
                    view.pending = .restore
                }
            }
        default: return .close
        }
        return .stay
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        switch event {
        case .versionsListed(let id, _, _, let result):
            guard id == request else { return nil }
            switch result {
            case .success(let rows):
                view.rows = rows
                view.selected = min(view.selected, max(0, rows.count - 1))
            case .failure(let e): state.setStatus(e.message, error: true)
            }
            return .stay
        case .operationFinished(let id, _, _):
            guard id == request else { return nil }
            // A version deleted or restored: list them again.
            let ask = state.ask(.versions)
            request = ask
            return .stay([.listVersions(id: ask, bucket: view.bucket, key: view.key)])
        default: return nil
        }
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        var shown = view
        shown.loading = state.isOpen(request)
        Self.drawVersions(shown, into: &screen, layout: layout)
    }

    static func drawVersions(_ view: VersionsView, into screen: inout Screen, layout: Layout) {
        var lines: [String] = []
        let title = "Versions of " + Formatting.safe("s3://\(view.bucket)/\(view.key)")
        let inner = Renderer.box(title: title, lines: max(2, view.rows.count + 2), into: &screen, layout: layout)
        if view.loading && view.rows.isEmpty { screen.put("listing versions…", row: inner.top, column: inner.left,
                                                          style: .loading) }
        if !view.loading && view.rows.isEmpty { screen.put("no versions (is versioning on?)", row: inner.top,
                                                           column: inner.left, style: .dim) }
        for (i, r) in view.rows.prefix(layout.treeHeight - 4).enumerated() {
            let what = r.isDeleteMarker ? "delete marker" : Formatting.size(r.size)
            let current = r.isLatest ? "current" : "       "
            let padded = what.padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append("\(Formatting.date(r.modified))  \(current)  \(padded)  \(r.versionId)")
            let style: CellStyle = i == view.selected ? .selected : (r.isDeleteMarker ? .dim : .normal)
            if i == view.selected { screen.fill(row: inner.top + i, from: inner.left - 1,
                                                to: inner.left + inner.width + 1, style: .selected) }
            screen.put(Formatting.safe(lines[i]), row: inner.top + i, column: inner.left, style: style,
                       maxWidth: inner.width)
        }
        if let p = view.pending, view.rows.indices.contains(view.selected) {
            let id = view.rows[view.selected].versionId
            let q = p == .delete ? "Delete version \(id) for good? y deletes, any other key cancels"
                                 : "Copy version \(id) over the current one? y restores, any other key cancels"
            screen.put(Formatting.safe(q), row: inner.top + min(view.rows.count, layout.treeHeight - 4) + 1,
                       column: inner.left, style: .prompt, maxWidth: inner.width)
        }
    }
}

extension Action {
    public static let restore: Action = "restore"
}
