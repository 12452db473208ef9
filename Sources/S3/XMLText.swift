/// Text for XML bodies: escaped, and control characters refused (XML 1.0 cannot carry them).
/// The one escaper of every body pail sends (S3's and CloudFront's).
public enum XMLText {
    /// Escaped for element text (quotes too, for the day one goes in an attribute).
    /// A `\r` becomes `&#13;`: written raw, a reader's line-end normalisation would turn it
    /// into `\n` (or fold `\r\n` into one `\n`), and the name the server reads would not be
    /// the one sent. An attribute value would need tabs and newlines as references as well
    /// (a reader folds them into spaces there); no body pail sends puts a name in an attribute.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Whether XML 1.0 can carry the key at all (S3 rule 7).
    public static func canCarry(_ s: String) -> Bool {
        !s.unicodeScalars.contains {
            ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0xFFFE || $0.value == 0xFFFF
        }
            && !s.contains("\r")
    }
}
