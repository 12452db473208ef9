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
            if rows.indices.contains(selected), rows[selected].isActive { return .stay([.cancelTransfer(id: rows[selected].id)]) }
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
        Renderer.drawTransfers(state.transferRows, selected: selected, into: &screen, layout: layout)
    }
}

extension Action {
    public static let cancelTransfer: Action = "cancelTransfer"
}
