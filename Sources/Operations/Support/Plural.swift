import Foundation

/// Counts with their noun as people write them: "1 object", "3 changes", "1,200 objects".
/// "1 objects" reads as a mistake, and a summary that reads wrong is not trusted.
public enum Plural {
    /// `n` with thousands separated by commas and `noun` (or `plural`) after it; the plural
    /// adds "es" after s, x, z, ch and sh, else "s".
    public static func things(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(grouped(n)) \(n == 1 ? noun : plural ?? pluralOf(noun))"
    }

    static func pluralOf(_ noun: String) -> String {
        let es = ["s", "x", "z", "ch", "sh"].contains { noun.hasSuffix($0) }
        return noun + (es ? "es" : "s")
    }

    /// `1,234,567`: digits in threes, as the summaries elsewhere print counts.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
