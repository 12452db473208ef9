import Operations

public enum Keymap {
    /// The binding `key` reaches among `bindings`: a listed key first, then digits, then
    /// typed text, then "any other key".
    public static func binding(for key: Key, in bindings: [Binding]) -> Binding? {
        if let b = bindings.first(where: { $0.keys.contains(key) }) { return b }
        for group in [KeyGroup.digits, .typing, .anyOther] {
            if let b = bindings.first(where: { $0.group == group && group.takes(key) }) { return b }
        }
        return nil
    }

    /// Keys every page shares, handled once above the pages. `?` opens the help of the page
    /// that is open, except on pages that take typed text, where it is a character (F1 works).
    static func globals(typing: Bool) -> [Binding] {
        [
            Binding(typing ? [.function(1)] : [.char("?"), .function(1)], .help, "Help for this page", footer: "help"),
            Binding([.ctrl("c")], .quit, "Stop a running search, else quit (asks first while transfers run)"),
            Binding([.ctrl("z")], .suspend, "Suspend pail (fg resumes)"),
        ]
    }

    /// Every key a test or a keymap check needs to try: printable ASCII and the special keys.
    public static let allKeys: [Key] = {
        var keys: [Key] = (32...126).map { .char(Character(UnicodeScalar(UInt8($0)))) }
        keys += "abcdefghijklmnopqrstuvwxyz".map { .ctrl($0) }
        keys += [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .backspace, .tab,
                 .backTab, .delete]
        keys += (1...12).map { .function($0) }
        keys.append(.char("é"))
        return keys
    }()
}

extension Action {
    public static let help: Action = "help"
    public static let quit: Action = "quit"
    public static let suspend: Action = "suspend"
}

// MARK: The configuration file's [keys]

extension Key {
    /// The named keys of `ConfigKey` (its canonical names) and the keys they are.
    static let named: [String: Key] = [
        "up": .up, "down": .down, "left": .left, "right": .right, "pageUp": .pageUp, "pageDown": .pageDown,
        "home": .home, "end": .end, "enter": .enter, "escape": .escape, "backspace": .backspace, "tab": .tab,
        "backTab": .backTab, "delete": .delete,
    ]

    /// The key a `[keys]` line names.
    public init?(_ config: ConfigKey) {
        switch config {
        case .char(let c): self = .char(c)
        case .ctrl(let c): self = .ctrl(c)
        case .function(let n): self = .function(n)
        case .named(let n):
            guard let k = Key.named[n] else { return nil }
            self = k
        }
    }

    /// The key as `[keys]` writes it.
    public var configKey: ConfigKey {
        switch self {
        case .char(let c): return .char(c)
        case .ctrl(let c): return .ctrl(c)
        case .function(let n): return .function(n)
        default: return .named(Key.named.first { $0.value == self }?.key ?? "")
        }
    }
}

extension Keymap {
    /// The keys `[keys]` moves on every page (see `KeyRemap`), checked against each page's
    /// actions and against every key that page and the shared keys (`?`, F1, ^C, ^Z) take:
    /// one line naming the file and line for an unknown page or action, a key bound twice on
    /// a page, or a key a page's typed text or digits take. Called at start, before the
    /// terminal is taken over. Each page is checked as its example shows it.
    public static func remap(_ keys: KeyBindings) throws -> KeyRemap {
        var remap = KeyRemap()
        guard !keys.isEmpty else { return remap }
        var state = BrowserState(width: 80, height: 24)
        let pages = PageRegistry.all.map { type in
            (title: type.name, name: KeyRemap.pageName(type.name),
             bindings: example(type, in: &state).bindings(in: state))
        }
        let names = Set(pages.map { KeyBindings.normalized($0.name) })
        for e in keys.entries {
            guard let page = e.page, !names.contains(KeyBindings.normalized(page)) else { continue }
            throw keys.failure(
                line: e.line, "unknown page \"\(TerminalSafe.escape(page))\" in "
                    + "\"\(TerminalSafe.escape(e.action))\"; pages are "
                    + pages.map(\.name).sorted().joined(separator: ", "))
        }
        for page in pages {
            let tree = page.name == "tree"
            let lines = keys.entries.filter { $0.isFor(page: tree ? nil : page.name) }
            if lines.isEmpty { continue }
            // Only a binding with keys of its own has keys to move ("any other key" has none).
            var defaults: [String: [ConfigKey]] = [:]
            var known: [String] = []
            for b in page.bindings where !b.keys.isEmpty {
                if defaults[b.action.name] == nil { known.append(b.action.name) }
                defaults[b.action.name, default: []] += b.keys.map(\.configKey)
            }
            // Taken above every page: a page's key there would never be reached.
            defaults["help"] = [.char("?"), .function(1)]
            defaults["interrupt"] = [.ctrl("c")]
            defaults["suspend"] = [.ctrl("z")]
            let result = try keys.validate(knownActions: known, defaults: defaults,
                                           page: tree ? nil : (page.name, page.title))
            // Typed text and digits are the page's too: a key they take would stop being typed.
            for group in page.bindings.compactMap(\.group) where group != .anyOther {
                for e in lines {
                    guard let k = e.keys.compactMap(Key.init).first(where: group.takes) else { continue }
                    let typed = group == .typing
                    throw keys.failure(
                        line: e.line, "\"\(k.configKey)\" is \(typed ? "typed text" : "a digit") on the "
                            + "\(page.title) page; give \(TerminalSafe.escape(e.action)) a key that is "
                            + (typed ? "not typed (enter, esc, tab, ctrl-x, F2)" : "not a digit"))
                }
            }
            var moved: [Action: [Key]] = [:]
            for name in known where result[name] != defaults[name] {
                moved[Action(name)] = (result[name] ?? []).compactMap(Key.init)
            }
            if moved.isEmpty { continue }
            remap.pages[page.name] = moved
            if tree {
                for action in moved.keys {
                    remap.treeDefaults[action] = page.bindings.first { $0.action == action }?.keys
                }
            }
        }
        return remap
    }

    private static func example<P: Page>(_ type: P.Type, in state: inout BrowserState) -> any Page {
        type.example(in: &state)
    }
}
