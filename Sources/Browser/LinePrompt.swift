/// A page that asks for one line on the status line: a label, then the text being typed. The
/// prompt holds the status line, so a refused value is said on the footer line instead of the
/// keys, and the page draws nothing over the tree.
public protocol LinePrompt: Page {
    /// What stands before the typed text ("find in s3://site/media/: ").
    var promptLabel: String { get }
    /// The text being typed.
    var text: LineEditor { get }
}

extension LinePrompt {
    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool {
        // The label may carry a bucket name or a prefix: escaped, and measured as drawn.
        let label = Formatting.safe(promptLabel)
        let editor = text.rendered(width: max(8, width - DisplayWidth.of(label)), escape: Formatting.safe)
        screen.put(label + editor, row: row, column: 0, style: .prompt, maxWidth: width)
        return true
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {}

    public func footer(_ state: BrowserState) -> [FooterItem] {
        if let s = state.status, s.isError { return [FooterItem("", Formatting.safe(s.text))] }
        return Self.footer(from: bindings(in: state))
    }
}
