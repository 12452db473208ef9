import Operations

/// The transfers panel: uploads, downloads and copies with their progress; x cancels one.
public struct TransfersPage: Page {
    public static let name = "Transfers"
    public static func example(in state: inout BrowserState) -> TransfersPage {
        state.transferRows = [
            TransferRow(id: 0, direction: .upload, name: "s3://site/media/big.bin", size: 10_000_000,
                        transferred: 2_500_000, state: .running, rate: 1_000_000),
            TransferRow(id: 1, direction: .download, name: "/tmp/dest/a.jpg", size: 2048, transferred: 2048,
                        state: .done, rate: 0),
            TransferRow(id: 2, direction: .copy, name: "s3://backup/media/b.jpg", size: 4096, transferred: 0,
                        state: .failed("AccessDenied"), rate: 0),
        ]
        return TransfersPage()
    }

    public internal(set) var selected = 0

    public init(selected: Int = 0) { self.selected = selected }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.up, .char("k")], .up, "Previous transfer", footer: "select", footerKeys: "↑↓"),
            Binding([.down, .char("j")], .down, "Next transfer"),
            Binding([.char("x"), .delete], .cancelTransfer, "Cancel the selected transfer", footer: "cancel transfer"),
            Binding([.char("q")], .quit, "Quit (asks first while transfers run)"),
            Binding([], .dismiss, "Close the panel (transfers go on)", group: .anyOther, footer: "close",
                    footerKeys: "any key"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        let rows = state.transferRows
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, rows.count - 1), selected + 1)
        case .cancelTransfer:
            if rows.indices.contains(selected), rows[selected].isActive {
                return .stay([.cancelTransfer(id: rows[selected].id)])
            }
        case .quit: return state.quitOutcome()
        default: return .close
        }
        return .stay
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        guard case .transfersUpdated(let rows) = event else { return nil }
        if selected >= rows.count { selected = max(0, rows.count - 1) }
        return .stay
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        Self.drawTransfers(state.transferRows, selected: selected, into: &screen, layout: layout)
    }

    static func drawTransfers(_ rows: [TransferRow], selected: Int, into screen: inout Screen, layout: Layout) {
        let total = rows.reduce(Int64(0)) { $0 + $1.size }
        let moved = rows.reduce(Int64(0)) { $0 + min($1.transferred, $1.size) }
        let active = rows.filter(\.isActive).count
        let title = "Transfers: \(active) active, \(rows.count) in all, "
            + "\(Formatting.size(moved)) of \(Formatting.size(total))"
        let inner = Renderer.box(title: title, lines: max(1, rows.count), into: &screen, layout: layout)
        if rows.isEmpty { screen.put("no transfers yet: U uploads, D downloads", row: inner.top, column: inner.left,
                                     style: .dim); return }
        let barW = 20
        let first = max(0, selected - (layout.treeHeight - 4))
        for (i, r) in rows.dropFirst(first).prefix(layout.treeHeight - 2).enumerated() {
            let y = inner.top + i
            let isSel = first + i == selected
            let style: CellStyle = isSel ? .selected : .normal
            if isSel { screen.fill(row: y, from: inner.left - 1, to: inner.left + inner.width + 1, style: .selected) }
            let frac = r.size > 0 ? min(1, Double(r.transferred) / Double(r.size)) : (r.state == .done ? 1 : 0)
            let filled = Int(frac * Double(barW))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barW - filled)
            var stateText: String
            switch r.state {
            case .queued: stateText = "queued"
            case .running:
                let eta = r.rate > 0 ? Int(Double(r.size - r.transferred) / r.rate) : 0
                stateText = "\(Formatting.size(Int64(r.rate)))/s ETA \(eta)s"
            case .done: stateText = "done"
            case .unchanged: stateText = "unchanged"
            case .skipped(let why): stateText = "skipped: " + why
            case .failed(let why): stateText = "failed: " + why
            case .cancelled: stateText = "cancelled"
            }
            let arrow = r.direction == .copy ? "⇒" : r.direction == .upload ? "↑" : "↓"
            let line = "\(arrow) \(bar) \(Int(frac * 100))% "
                + "\(Formatting.size(r.transferred))/\(Formatting.size(r.size))"
            screen.put(line, row: y, column: inner.left, style: style, maxWidth: inner.width)
            let x = inner.left + DisplayWidth.of(line) + 1
            var stStyle: CellStyle = style
            if !isSel, case .failed = r.state { stStyle = .error }
            // A reason can hold a key or the server's words: escaped like them.
            let used = screen.put(Formatting.safe(stateText), row: y, column: x, style: stStyle,
                                  maxWidth: max(0, min(40, inner.width - (x - inner.left))))
            screen.put(Formatting.safe(r.name), row: y, column: x + used + 2, style: style, maxWidth: max(0,
                inner.width - (x + used + 2 - inner.left)))
        }
    }
}

extension Action {
    public static let cancelTransfer: Action = "cancelTransfer"
}
