import Foundation
import Operations

/// How numbers, sizes and dates read in the browser.
public enum Formatting {
    /// `0 B`, `999 B`, `1.2 KiB`, `34.0 MiB`, `1.5 GiB`.
    public static func size(_ bytes: Int64) -> String { ByteCount.format(bytes) }

    /// `12,345`.
    public static func count<T: BinaryInteger>(_ n: T) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// `2024-05-01 12:00` in local time.
    public static func date(_ seconds: Double) -> String {
        guard !seconds.isNaN else { return "" }
        var t = time_t(seconds)
        var p = tm()
        localtime_r(&t, &p)
        return String(format: "%04d-%02d-%02d %02d:%02d", Int(p.tm_year) + 1900, Int(p.tm_mon) + 1, Int(p.tm_mday),
                      Int(p.tm_hour), Int(p.tm_min))
    }

    /// A key or name as it may be drawn: control characters escaped.
    public static func safe(_ s: String) -> String { TerminalSafe.escape(s) }

    /// "1 object", "3 changes", "1,200 objects".
    public static func things(_ n: Int, _ noun: String) -> String {
        let plural = noun.hasSuffix("x") || noun.hasSuffix("s") ? "es" : "s"
        return "\(count(n)) \(noun)\(n == 1 ? "" : plural)"
    }
}
