import S3

/// One key as pail's configuration file names it (`[keys]`: `delete = x`, `quit = ctrl-q`,
/// `top = Home`). Operations cannot see the browser's own Key type, so this is the typed raw
/// value the browser maps onto its keys.
public enum ConfigKey: Hashable, Sendable, CustomStringConvertible {
    /// One printable character, as typed (`x`, `G`, `/`); `space` is `.char(" ")`.
    case char(Character)
    /// Ctrl and a letter (`ctrl-x`, `C-x`, `^X`), the letter lower-cased.
    case ctrl(Character)
    /// A named key: one of `ConfigKey.names`.
    case named(String)
    /// F1 to F12.
    case function(Int)

    /// Named keys, spelled as the configuration file may spell them, and their canonical name.
    public static let names: [String: String] = [
        "up": "up", "down": "down", "left": "left", "right": "right",
        "pageup": "pageUp", "pgup": "pageUp", "pagedown": "pageDown", "pgdn": "pageDown",
        "home": "home", "end": "end", "enter": "enter", "return": "enter", "escape": "escape", "esc": "escape",
        "backspace": "backspace", "bksp": "backspace", "tab": "tab", "backtab": "backTab", "s-tab": "backTab",
        "delete": "delete", "del": "delete",
    ]

    public var description: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "ctrl-" + String(c)
        case .named(let n): return n
        case .function(let n): return "F\(n)"
        }
    }

    /// Parses one key; nil when the text names no key.
    public init?(parsing text: String) {
        let lower = text.lowercased()
        if text.count == 1, let c = text.first, !c.isWhitespace,
            c.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0 != "\u{7F}" })
        {
            self = .char(c)
            return
        }
        if lower == "space" {
            self = .char(" ")
            return
        }
        for lead in ["ctrl-", "ctrl+", "c-", "^"] where lower.hasPrefix(lead) {
            let rest = lower.dropFirst(lead.count)
            guard rest.count == 1, let c = rest.first, c.isASCII, c.isLetter else { return nil }
            self = .ctrl(c)
            return
        }
        if let name = Self.names[lower] {
            self = .named(name)
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n), !lower.dropFirst().hasPrefix("0")
        {
            self = .function(n)
            return
        }
        return nil
    }
}
