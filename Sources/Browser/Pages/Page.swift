import Operations

/// One page of the browser: the tree, a menu, a prompt, a question, a panel. The browser keeps
/// a stack of them over the tree; keys go to the top one, through its bindings only.
///
/// A new page is one file in this folder: a value conforming to `Page`, opened by a binding
/// of another page (`.open(MyPage(...))`), and listed in `PageRegistry.all` so the keymap
/// test and the snapshot tests see it.
///
/// Pages must not touch `state.pages`: they say what to do with themselves in the outcome
/// they return, and the browser does it.
public protocol Page: Sendable {
    /// The page's name, for its help ("Tree keys", "URL menu keys") and for tests.
    static var name: String { get }
    /// A representative instance, over `state`, for the keymap test and the snapshots.
    static func example(in state: inout BrowserState) -> Self
    /// Lines the help page adds after the keys (key, text).
    static var helpNotes: [(String, String)] { get }

    /// The page's keys, now (a refusal, a question waiting for y, change them).
    func bindings(in state: BrowserState) -> [Binding]
    /// Does what `action` (found in `bindings`) means; `key` is the key pressed, for typed
    /// text and digits.
    mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome
    /// An answer from a worker, offered to every page on the stack; nil: not for this page.
    mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome?
    /// A mouse event, when this page is on top.
    mutating func mouse(_ event: MouseEvent, in state: inout BrowserState) -> PageOutcome

    /// How the page sits on the screen.
    var placement: PagePlacement { get }
    /// Draws the page over what the pages below drew (or over nothing, full screen).
    func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout)
    /// Draws the page's own status line (a prompt); false leaves the status message there.
    func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool
    /// The footer's items; by default from the bindings that have a footer label.
    func footer(_ state: BrowserState) -> [FooterItem]

    /// The dangerous question the page asks, if any: a key answers it only once it was drawn.
    var question: String? { get }
    /// ^C on this page while it runs work it can stop (a find's listing): stops it and says what
    /// to do; nil (no such work, or already stopping) lets ^C quit as on every other page.
    mutating func interrupt(in state: inout BrowserState) -> PageOutcome?
}

extension Page {
    public static var helpNotes: [(String, String)] { [] }
    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? { nil }
    public mutating func mouse(_ event: MouseEvent, in state: inout BrowserState) -> PageOutcome { .stay }
    public var placement: PagePlacement { .overlay }
    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool { false }
    public func footer(_ state: BrowserState) -> [FooterItem] { Self.footer(from: bindings(in: state)) }
    public var question: String? { nil }
    public mutating func interrupt(in state: inout BrowserState) -> PageOutcome? { nil }

    /// The footer items of `bindings`: those with a footer label, disabled ones as "no ...".
    public static func footer(from bindings: [Binding]) -> [FooterItem] {
        bindings.compactMap { b in
            guard let label = b.footer else { return nil }
            return FooterItem(b.footerKeys ?? b.keyLabel, b.disabled != nil ? "no " + label : label, keeps: b.shows)
        }
    }

    /// Whether the page takes typed text (then `?` is a character there, not help).
    func takesTyping(in state: BrowserState) -> Bool { bindings(in: state).contains { $0.group == .typing } }
}
