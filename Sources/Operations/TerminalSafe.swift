import Foundation

/// Keys may hold any Unicode, control characters and terminal escape sequences (S3 rule 21).
/// Everything that reaches a terminal goes through here: control characters become visible
/// `\xNN` escapes (or `\t`, `\n`, `\r`), so a key can never move the cursor or recolour the screen.
public enum TerminalSafe {
    public static func escape(_ s: String) -> String {
        var needs = false
        for u in s.unicodeScalars where isControl(u) || u == "\\" { needs = true; break }
        guard needs else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for u in s.unicodeScalars {
            switch u {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default:
                if isControl(u) {
                    let v = u.value
                    out += v <= 0xFF ? "\\x" + hex2(v) : "\\u{" + String(v, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// C0, DEL, C1, and the bidirectional overrides that can reorder what is shown.
    @inline(__always)
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (v >= 0x7F && v <= 0x9F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
            || v == 0x2028 || v == 0x2029
    }

    private static func hex2(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(v >> 4)], digits[Int(v & 0xF)]])
    }
}
