import Operations

/// Quitting would cancel running or queued transfers: asked first, over the page it was asked
/// from, which any key but y (and ^C) goes back to.
public struct QuitConfirmationPage: Page {
    public static let name = "Quit confirmation"
    public static func example(in state: inout BrowserState) -> QuitConfirmationPage { QuitConfirmationPage(active: 2) }

    public let active: Int

    public init(active: Int) { self.active = active }

    public var question: String? { "quit" }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.char("y"), .char("Y")], .quit, "Quit, cancelling the transfers",
                    footer: "quit, cancelling the transfers",
                    dangerous: true),
            Binding([], .cancel, "Go back: the transfers go on", group: .anyOther, footer: "back"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        if action == .quit { return .close(state.quitEffects()) }
        state.setStatus("not quitting: the transfers go on (t shows them)", error: false)
        return .close
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let them = active == 1 ? "it" : "them"
        Renderer.drawTextBox(title: "Quit pail?", lines: [
            "\(active) transfer\(active == 1 ? " is" : "s are") running or queued; quitting cancels \(them)",
            "(uploads are aborted, partial downloads removed).", "",
            "Quit? y quits and cancels, any other key goes back",
        ], into: &screen, layout: layout, lastStyle: .prompt)
    }

    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool { true }
}
