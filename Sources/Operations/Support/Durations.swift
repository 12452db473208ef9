import Foundation
import S3

/// Lifetimes as people type them: `3600`, `90s`, `15m`, `1h`, `7d`.
public enum Durations {
    public static let maxPresign = 604_800

    public static func parse(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var seconds: Int?
        if let n = Int(t) {
            seconds = n
        } else if let unit = t.last, let mult = units[unit], let n = Int(t.dropLast()) {
            seconds = min(max(n, -1), maxPresign + 1) * mult  // clamped first: 99999999999999999w overflowed
        }
        guard let s = seconds, s > 0 else {
            throw S3Error.configuration("\"\(text)\" is not a duration: write seconds (3600) or 90s, 15m, 1h, 7d")
        }
        guard s <= maxPresign else {
            throw S3Error.configuration("\(text) is longer than 7 days, the most S3 allows for a presigned URL")
        }
        return s
    }

    public static func format(_ seconds: Int) -> String {
        if seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Like `parse`, without the 7-day cap (audit thresholds can be a year).
    public static func parseAny(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800, "y": 31_536_000]
        if let n = Int(t), n >= 0 { return n }
        if let unit = t.last, let mult = units[unit], let n = Int(t.dropLast()), n >= 0 {
            return min(n, Int.max / mult) * mult  // clamped first: 99999999999999999y overflowed
        }
        throw S3Error.configuration("\"\(text)\" is not a duration: write seconds or 90s, 15m, 1h, 7d, 1y")
    }
}
