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
    }

    public var entries: [Entry] = []
    /// The configuration file, for messages.
    public var path: String = PailConfig.displayPath

    public init(entries: [Entry] = [], path: String = PailConfig.displayPath) {
        self.entries = entries
        self.path = path
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// `page_up`, `page-up` and `pageUp` name the same action.
    static func normalized(_ action: String) -> String {
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
    /// a key bound to two actions.
    public func validate(knownActions: [String], defaults: [String: [ConfigKey]] = [:]) throws -> [String: [ConfigKey]]
    {
        var canonical: [String: String] = [:]
        for a in knownActions { canonical[Self.normalized(a)] = a }
        var result = defaults
        var lineOf: [String: Int] = [:]
        for e in entries {
            guard let action = canonical[Self.normalized(e.action)] else {
                throw S3Error.configuration(
                    "\(path):\(e.line): [keys] unknown action \"\(TerminalSafe.escape(e.action))\"; "
                        + "actions are \(knownActions.sorted().joined(separator: ", "))")
            }
            if let earlier = lineOf[action] {
                throw S3Error.configuration(
                    "\(path):\(e.line): [keys] \(action) is set twice (also on line \(earlier))")
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
                    // The action still on its default key is the one to move as well.
                    let onDefault = lineOf[other] == nil ? other : (lineOf[action] == nil ? action : nil)
                    let fix = onDefault.map { "; give \($0) another key in [keys] too" } ?? ""
                    throw S3Error.configuration(
                        "\(path):\(line): [keys] \"\(key)\" is bound to both \(other) and \(action)\(fix)")
                }
                owner[key] = action
            }
        }
        return result
    }
}
