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

    public func footer(_ state: BrowserState) -> [FooterItem] { promptFooter(state) }

    /// The footer a prompt shows: the refusal of what was typed, else the keys. A prompt with
    /// more to say (completions found) starts from this.
    public func promptFooter(_ state: BrowserState) -> [FooterItem] {
        if let s = state.status, s.isError { return [FooterItem("", Formatting.safe(s.text))] }
        return Self.footer(from: bindings(in: state))
    }

    /// The longest common start, by Unicode scalars: a UTF-8 byte prefix that never cuts a
    /// character in two, and never merges NFC and NFD spellings as String comparison would
    /// (keys and local file names are bytes).
    static func commonStart(_ strings: [String]) -> String {
        guard var common = strings.first.map({ Array($0.unicodeScalars) }) else { return "" }
        for s in strings.dropFirst() {
            let scalars = Array(s.unicodeScalars)
            var n = 0
            while n < common.count && n < scalars.count && common[n] == scalars[n] { n += 1 }
            common.removeSubrange(n...)
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: common)
        return String(out)
    }
}
