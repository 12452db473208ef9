import Foundation

/// Keys may hold any Unicode, control characters and terminal escape sequences (S3 rule 21).
/// Everything that reaches a terminal goes through here: control characters become visible
/// `\xNN` escapes (or `\t`, `\n`, `\r`), so a key can never move the cursor or recolour the screen,
/// and invisible characters (zero-width spaces and joiners, bidirectional marks, soft hyphens,
/// byte order marks, every other format character) become `\u{NNNN}`, so two keys that differ
/// only by one never look alike and a row is as wide as what it draws.
public enum TerminalSafe {
    public static func escape(_ s: String) -> String { escape(s, backslash: true) }

    /// `backslash: false` leaves backslashes alone: for text that was escaped already and must
    /// only be made safe (a second escape would double them).
    public static func escape(_ s: String, backslash: Bool) -> String {
        var needs = false
        for u in s.unicodeScalars where isUnsafe(u) || (backslash && u == "\\") { needs = true; break }
        guard needs else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for u in s.unicodeScalars {
            switch u {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += backslash ? "\\\\" : "\\"
            default:
                if isUnsafe(u) {
                    let v = u.value
                    out += v <= 0xFF ? "\\x" + hex2(v) : "\\u{" + String(v, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// Whether `s` holds a control or invisible character (what `escape` rewrites besides `\`).
    public static func hasUnsafe(_ s: String) -> Bool { s.unicodeScalars.contains { isUnsafe($0) } }

    @inline(__always)
    public static func isUnsafe(_ u: Unicode.Scalar) -> Bool { isControl(u) || isInvisible(u) }

    /// C0, DEL, C1, and the bidirectional overrides that can reorder what is shown.
    @inline(__always)
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (v >= 0x7F && v <= 0x9F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
            || v == 0x2028 || v == 0x2029
    }

    /// Characters that draw nothing: every format character (Unicode category Cf: U+00AD,
    /// U+200B-U+200F, U+202A-U+202E, U+2060-U+2064, U+2066-U+2069, U+FEFF, tags, ...), the
    /// combining grapheme joiner and the Hangul fillers, which render as blank space.
    @inline(__always)
    public static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0xAD { return false }  // the common case, ASCII and Latin-1 letters, stays fast
        switch v {
        case 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0: return true
        default: return u.properties.generalCategory == .format
        }
    }

    private static func hex2(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(v >> 4)], digits[Int(v & 0xF)]])
    }
}
