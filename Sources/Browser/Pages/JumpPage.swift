import Operations

/// Typing a prefix (`media/2024/`) or `s3://bucket/prefix/` to go to.
public struct JumpPage: Page {
    public static let name = "Jump"
    public static func example(in state: inout BrowserState) -> JumpPage { JumpPage(text: "media/2024/") }

    public internal(set) var text: LineEditor

    public init(text: LineEditor = LineEditor()) { self.text = text }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.enter], .confirm, "Go to the prefix", footer: "go"),
            Binding([.escape], .cancel, "Cancel", footer: "cancel"),
            Binding([], .type, "Type a prefix or s3://bucket/prefix/ (^U clears)", group: .typing, footer: "clear",
                    footerKeys: "^U"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .cancel: return .close
        case .confirm:
            let before = state.statusSerial
            let effects = state.jump(to: text.text)
            // Refused (no bucket here): the prompt stays, as typed.
            if state.statusSerial != before && state.status?.isError == true && effects.isEmpty { return .stay }
            return .close(effects)
        default:
            text.handle(key)
            return .stay
        }
    }

    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool {
        screen.put("jump to: " + text.rendered(width: max(8, width - 9), escape: Formatting.safe), row: row, column: 0,
                   style: .prompt, maxWidth: width)
        return true
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {}

    public func footer(_ state: BrowserState) -> [FooterItem] {
        // The prompt holds the status line: a refused value is said here.
        if let s = state.status, s.isError { return [FooterItem("", Formatting.safe(s.text))] }
        return Self.footer(from: bindings(in: state))
    }
}
