import Operations

/// The keys of the page it was opened over, generated from that page's bindings and the keys
/// every page shares; full screen, scrolled with ↑↓, closed by any other key.
public struct HelpPage: Page {
    public static let name = "Help"
    public static func example(in state: inout BrowserState) -> HelpPage {
        HelpPage(for: TreePage(), in: state)
    }

    /// The help's lines (key, text); scrolling stops at the last screenful.
    public let lines: [(String, String)]
    public internal(set) var scroll = 0

    public init(for page: any Page, in state: BrowserState) {
        let name = type(of: page).name
        var lines: [(String, String)] = [
            ("", "\(name) keys (this list is generated from pail's keymap)"), ("", ""),
        ]
        let bindings = page.resolvedBindings(in: state) + Keymap.globals(typing: page.takesTyping(in: state))
        for b in bindings {
            var note = ""
            if let r = b.disabled {
                note = " (disabled: \(r.what), \(r.detail))"
            } else if b.dangerous {
                note = " (asks first)"
            }
            lines.append((b.label, b.description + note))
        }
        let notes = type(of: page).helpNotes
        if !notes.isEmpty { lines += [("", "")] + notes }
        self.lines = lines
    }

    public var placement: PagePlacement { .fullScreen }

    /// The description column; a long description goes on under it rather than being cut.
    static let textColumn = 21

    /// The lines as drawn on a screen `width` columns wide: (key, text, whether it is a heading),
    /// a description wrapped onto continuation lines with an empty key.
    public func rows(width: Int) -> [(key: String, text: String, heading: Bool)] {
        let room = max(10, width - Self.textColumn - 1)
        return lines.flatMap { key, text in
            Renderer.wrapWords(Formatting.safe(text), width: room).enumerated().map { i, part in
                (i == 0 ? key : "", part, key.isEmpty)
            }
        }
    }

    func lastScroll(_ state: BrowserState) -> Int { max(0, rows(width: state.width).count - max(1, state.height - 3)) }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.down, .char("j")], .down, "Scroll down", footer: "scroll", footerKeys: "↑↓"),
            Binding([.up, .char("k")], .up, "Scroll up"),
            Binding([], .dismiss, "Close the help", group: .anyOther, footer: "close", footerKeys: "any key"),
            Binding([.char("q")], .quit, "Quit", footer: "quit"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        // Clamped to the last screenful, so ↑ answers at once after scrolling past the end.
        let last = lastScroll(state)
        switch action {
        case .down: scroll = min(last, scroll + 1)
        case .up: scroll = max(0, min(last, scroll) - 1)
        case .quit: return state.quitOutcome()
        default: return .close
        }
        return .stay
    }

    public mutating func mouse(_ event: MouseEvent, in state: inout BrowserState) -> PageOutcome { .close }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let rows = self.rows(width: screen.width)
        let top = 1
        let h = screen.height - 3
        for (i, row) in rows.dropFirst(min(scroll, max(0, rows.count - h))).prefix(h).enumerated() {
            screen.fill(row: top + i, style: .normal)
            screen.put(row.key, row: top + i, column: 2, style: .footerKey, maxWidth: 18)
            screen.put(row.text, row: top + i, column: Self.textColumn, style: row.heading ? .header : .normal)
        }
    }
}
