import Foundation
import S3

/// Cache headers as a person reads them: `max-age=31536000` is a year, but only someone who
/// knows the number by heart sees it, and `max-age=3153600` (36 days) looks the same at a
/// glance. Every duration directive gets its reading beside it, and an `Expires` that has
/// already passed is marked, since caches then treat the object as stale at once.
public struct CacheControlSummary: Sendable, Equatable {
    /// A directive that takes seconds, with its value.
    public struct Duration: Sendable, Equatable {
        public var name: String
        public var seconds: Int
        /// `1 y`, `30 d`, `1 h 30 min`.
        public var reading: String { CacheControlSummary.humanDuration(seconds) }
    }

    /// The duration directives in the order the value gives them.
    public var durations: [Duration]
    /// Why the value is not a Cache-Control a cache reads as meant (the parser's problem),
    /// or nil. The durations are still read, leniently, so a stored value with one typo
    /// still shows what it says.
    public var problem: CacheControl.Problem?

    /// The directives whose argument is a number of seconds.
    static let durationNames = Set(
        CacheControl.directives.filter { $0.value == .seconds || $0.value == .optionalSeconds }.keys)

    public init(cacheControl value: String) {
        var pairs: [(name: String, argument: String?)]
        do {
            pairs = try CacheControl.parse(value)
            problem = nil
        } catch {
            problem = error as? CacheControl.Problem
            pairs = Self.lenientDirectives(value)
        }
        durations = pairs.compactMap { name, argument in
            guard Self.durationNames.contains(name), let argument, !argument.isEmpty,
                argument.allSatisfy({ ("0"..."9").contains($0) })
            else { return nil }
            // A value beyond Int (RFC 9111 says: treat as 2^31) still reads as very long.
            return Duration(name: name, seconds: Int(argument) ?? Int(Int32.max))
        }
    }

    /// `max-age 1 y, s-maxage 1 d`: the durations alone; nil when there are none.
    public var reading: String? {
        durations.isEmpty ? nil : durations.map { "\($0.name) \($0.reading)" }.joined(separator: ", ")
    }

    /// The value with each duration's reading after it, for one line of text:
    /// `public, max-age=31536000 (1 y), stale-while-revalidate=60 (1 min)`. A value the
    /// parser refuses is returned as it is, followed by ` (not valid: REASON)`.
    public static func annotated(_ value: String) -> String {
        let summary = CacheControlSummary(cacheControl: value)
        if let problem = summary.problem { return "\(value) (not valid: \(problem.reason))" }
        var remaining = summary.durations[...]
        let parts = value.split(separator: ",", omittingEmptySubsequences: false).map { part -> String in
            let name = part.split(separator: "=", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard let next = remaining.first, name == next.name else { return String(part) }
            remaining = remaining.dropFirst()
            var text = String(part)  // leading spaces kept, as typed
            while text.last == " " || text.last == "\t" { text.removeLast() }
            return text + " (\(next.reading))"
        }
        return parts.joined(separator: ",")
    }

    /// What an `Expires` value means at `now`: `in 3 d`, `in the past (2 h ago)`, or
    /// `not a date` (caches treat an unreadable Expires as already expired). With
    /// `overridden`, the value also has max-age or s-maxage, which caches follow instead.
    public static func expiresReading(_ value: String, now: Date, overridden: Bool = false) -> String {
        let note = overridden ? "; max-age applies instead" : ""
        guard let date = Timestamps.parseHTTPDate(value.trimmingCharacters(in: .whitespaces)) else {
            return "not a date: caches treat it as expired" + note
        }
        let delta = Int(date.timeIntervalSince(now).rounded(.down))
        if delta <= 0 { return "in the past (\(humanDuration(-delta)) ago)" + note }
        return "in \(humanDuration(delta))" + note
    }

    /// One line for both headers, for a text listing: `max-age 1 y; Expires in the past
    /// (2 d ago)`; nil when neither says anything about time.
    public static func reading(cacheControl: String?, expires: String?, now: Date) -> String? {
        var parts: [String] = []
        var hasMaxAge = false
        if let cacheControl, !cacheControl.trimmingCharacters(in: .whitespaces).isEmpty {
            let summary = CacheControlSummary(cacheControl: cacheControl)
            if let r = summary.reading { parts.append(r) }
            if let p = summary.problem { parts.append("Cache-Control not valid: \(p.reason)") }
            hasMaxAge = summary.durations.contains { $0.name == "max-age" || $0.name == "s-maxage" }
        }
        if let expires, !expires.trimmingCharacters(in: .whitespaces).isEmpty {
            parts.append("Expires " + expiresReading(expires, now: now, overridden: hasMaxAge))
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// Seconds in the largest units that fit, at most two of them: `1 y`, `7 d`,
    /// `1 h 30 min`, `45 s`. A remainder beyond two units is dropped and the reading starts
    /// with `~` (100000 s is `~1 d 3 h`). A year is 365 days, as max-age=31536000 means.
    public static func humanDuration(_ seconds: Int) -> String {
        let units: [(Int, String)] = [(31_536_000, "y"), (86400, "d"), (3600, "h"), (60, "min"), (1, "s")]
        guard seconds > 0 else { return "0 s" }
        var left = seconds
        var out: [String] = []
        for (size, name) in units where left >= size && out.count < 2 {
            out.append("\(left / size) \(name)")
            left %= size
            if left == 0 { break }
        }
        return (left > 0 ? "~" : "") + out.joined(separator: " ")
    }

    /// Directives split without judgement, for values the parser refuses: `name[=arg]`
    /// between commas, quotes around an argument dropped.
    static func lenientDirectives(_ value: String) -> [(name: String, argument: String?)] {
        value.split(separator: ",").map { part in
            let kv = part.split(separator: "=", maxSplits: 1)
            let name = kv.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let arg = kv.count == 2 ? kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" \t")) : nil
            return (name, arg)
        }
    }
}
