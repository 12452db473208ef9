import Operations

/// Typing a filter on the status line: the tree narrows as it is typed.
public struct FilterPage: Page {
    public static let name = "Filter"
    public static func example(in state: inout BrowserState) -> FilterPage {
        var page = FilterPage(LineEditor(""))
        for c in "jpg" { _ = page.perform(.type, key: .char(c), in: &state) }
        return page
    }

    /// The filter being typed, with its cursor; `state.filter` follows its text.
    public internal(set) var line: LineEditor

    public init(_ line: LineEditor) { self.line = line }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.enter], .confirm, "Keep the filter", footer: "keep"),
            Binding([.escape], .cancel, "Clear the filter", footer: "clear"),
            Binding([.up], .up, "Move up", footer: "move", footerKeys: "↑↓"),
            Binding([.down], .down, "Move down"),
            Binding([.pageUp], .pageUp, "Page up"),
            Binding([.pageDown], .pageDown, "Page down"),
            Binding([], .type, "Type the filter (case and accents ignored)", group: .typing),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .confirm:
            return .close(state.refilter())
        case .cancel:
            state.filter = ""
            return .close(state.refilter())
        case .type:
            guard line.handle(key), line.text != state.filter else { return .stay }  // the cursor moved
            state.filter = line.text
            return .stay(state.refilter())
        default:
            return state.treeAction(action)
        }
    }

    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool {
        screen.put("/" + line.rendered(width: width - 1, escape: Formatting.safe), row: row, column: 0, style: .prompt,
                   maxWidth: width)
        return true
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {}
}
