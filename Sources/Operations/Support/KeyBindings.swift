import S3

/// The `[keys]` section: action = one or more keys, separated by spaces (`down = j Down`).
/// Its syntax is checked when the file is read; which actions exist and whether two of them
/// share a key only the browser knows, so it calls `validate(knownActions:defaults:)`.
public struct KeyBindings: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The action as written (`page_up`, `pageUp`).
        public var action: String
        public var keys: [ConfigKey]
        public var line: Int

        /// The page `action` names before a dot (`report` of `report.retry`); nil for a bare
        /// action, which is the tree's (what `[keys]` always meant).
        public var page: String? { action.firstIndex(of: ".").map { String(action[..<$0]) } }
        /// The action without its page (`retry` of `report.retry`).
        public var pageAction: String {
            action.firstIndex(of: ".").map { String(action[action.index(after: $0)...]) } ?? action
        }

        /// Whether the line is for the page of that `[keys]` name (`url_menu`); nil: the tree.
        public func isFor(page name: String?) -> Bool {
            let mine = page.map(KeyBindings.normalized) ?? "tree"
            return mine == KeyBindings.normalized(name ?? "tree")
        }
    }

    public var entries: [Entry] = []
    /// The configuration file, for messages.
    public var path: String = PailConfig.displayPath

    public init(entries: [Entry] = [], path: String = PailConfig.displayPath) {
        self.entries = entries
        self.path = path
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The error of line `line`: the file, the line and `message`, for checks the browser makes.
    public func failure(line: Int, _ message: String) -> Error {
        S3Error.configuration("\(path):\(line): [keys] \(message)")
    }

    /// `page_up`, `page-up` and `pageUp` name the same action.
    public static func normalized(_ action: String) -> String {
        String(action.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    static func parse(_ entries: [AWSConfigFile.Entry], path: String) throws -> KeyBindings {
        var out = KeyBindings(path: path)
        for e in entries {
            let words = e.value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else {
                throw S3Error.configuration(
                    "\(path):\(e.line): [keys] \(TerminalSafe.escape(e.name)) has no key; "
                        + "write action = key, e.g. delete = x")
            }
            var keys: [ConfigKey] = []
            for w in words {
                guard let key = ConfigKey(parsing: w) else {
                    throw S3Error.configuration(
                        "\(path):\(e.line): [keys] \(TerminalSafe.escape(e.name)): "
                            + "\"\(TerminalSafe.escape(w))\" is not a key; use one character, space, "
                            + "ctrl-X, F1 to F12 or a key name (up, down, left, right, pgup, pgdn, "
                            + "home, end, enter, esc, backspace, tab, backtab, delete)")
                }
                keys.append(key)
            }
            out.entries.append(Entry(action: e.name, keys: keys, line: e.line))
        }
        return out
    }

    /// The keys of every action after the file's `[keys]`: `defaults` (action → keys, the
    /// browser's table) with each action the file names getting exactly the file's keys.
    /// Throws one line naming the file and line for an action that does not exist and for
    /// a key bound to two actions. `page` (its `[keys]` name and its title) checks the lines
    /// `page.action = key` of that page; nil checks the tree's, the lines without a page.
    /// Defaults that are not `knownActions` are keys taken above the pages (`?`, ^C).
    public func validate(knownActions: [String], defaults: [String: [ConfigKey]] = [:],
                         page: (name: String, title: String)? = nil) throws -> [String: [ConfigKey]]
    {
        var canonical: [String: String] = [:]
        for a in knownActions { canonical[Self.normalized(a)] = a }
        // An action as a message writes it: `help.down` on a page, `down` on the tree.
        func shown(_ action: String) -> String {
            guard let page, canonical[Self.normalized(action)] != nil else { return action }
            return "\(page.name).\(action)"
        }
        var result = defaults
        var lineOf: [String: Int] = [:]
        for e in entries where e.isFor(page: page?.name) {
            guard let action = canonical[Self.normalized(e.pageAction)] else {
                let list = knownActions.sorted().joined(separator: ", ")
                throw S3Error.configuration(
                    "\(path):\(e.line): [keys] unknown action \"\(TerminalSafe.escape(e.action))\"; "
                        + (page.map { "the \($0.title) page's actions are \(list)" } ?? "actions are \(list)"))
            }
            if let earlier = lineOf[action] {
                throw S3Error.configuration(
                    "\(path):\(e.line): [keys] \(shown(action)) is set twice (also on line \(earlier))")
            }
            lineOf[action] = e.line
            result[action] = e.keys
        }
        // Which action claims each key; a clash names both, and the file's line when one is from it.
        var owner: [ConfigKey: String] = [:]
        for action in result.keys.sorted(by: { (lineOf[$0] ?? Int.max, $0) < (lineOf[$1] ?? Int.max, $1) }) {
            for key in result[action] ?? [] {
                if let other = owner[key], other != action {
                    let line = lineOf[action] ?? lineOf[other] ?? 0
                    // The action still on its default key is the one to move as well, unless
                    // that key is taken above the pages, where nothing moves it.
                    let onDefault = lineOf[other] == nil ? other : (lineOf[action] == nil ? action : nil)
                    var fix = onDefault.map { "; give \(shown($0)) another key in [keys] too" } ?? ""
                    if let d = onDefault, canonical[Self.normalized(d)] == nil { fix = "; \(d) keeps that key" }
                    let on = page.map { " on the \($0.title) page" } ?? ""
                    throw S3Error.configuration(
                        "\(path):\(line): [keys] \"\(key)\" is bound to both \(shown(other)) and "
                            + "\(shown(action))\(on)\(fix)")
                }
                owner[key] = action
            }
        }
        return result
    }
}
