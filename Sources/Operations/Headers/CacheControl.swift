import Foundation

/// Cache-Control values: what they say (`maxAge`), and whether they are well formed (below).
public enum CacheControl {
    /// max-age (or s-maxage, whichever is larger) in seconds; nil when absent.
    public static func maxAge(_ value: String?) -> Int? {
        guard let value else { return nil }
        var best: Int?
        for part in value.split(separator: ",") {
            let kv = part.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0] == "max-age" || kv[0] == "s-maxage",
                  let n = Int(kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))) else { continue }
            best = max(best ?? 0, n)
        }
        return best
    }
}

/// A Cache-Control value checked before it is sent: a typo there (`max-age=3153600O`,
/// `maxage=60`, `no-store, max-age=60`) is stored without complaint by S3 and then ignored
/// or misread by every cache in front of the site, for as long as the object lives.
extension CacheControl {
    /// A value that is not a Cache-Control a cache would read as meant, and where (a column,
    /// counted from 1 in the value as typed).
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var column: Int
        public var reason: String
        public var description: String { "Cache-Control: \(reason) at column \(column)" }
    }

    enum Argument { case none, seconds, optionalSeconds, optionalFieldNames }

    /// The directives of responses (RFC 9111 and its extensions) and what each takes.
    static let directives: [String: Argument] = [
        "max-age": .seconds, "s-maxage": .seconds, "stale-while-revalidate": .seconds, "stale-if-error": .seconds,
        "public": .none, "private": .optionalFieldNames, "no-cache": .optionalFieldNames, "no-store": .none,
        "no-transform": .none, "must-revalidate": .none, "proxy-revalidate": .none, "must-understand": .none,
        "immutable": .none,
        // Request directives, which some stores keep on objects too.
        "max-stale": .optionalSeconds, "min-fresh": .seconds, "only-if-cached": .none,
    ]

    /// Pairs that cannot both hold: the second named cancels what the first asks for.
    static let contradictions: [(String, String)] = [
        ("no-store", "max-age"), ("no-store", "s-maxage"), ("no-store", "immutable"),
        ("no-store", "stale-while-revalidate"), ("no-store", "stale-if-error"), ("public", "private"),
        ("no-cache", "immutable"),
    ]

    /// The directives of `value` (names lowercased, arguments as typed), or the first problem.
    @discardableResult
    public static func parse(_ value: String) throws -> [(name: String, argument: String?)] {
        let chars = Array(value)
        var out: [(name: String, argument: String?)] = []
        var seenAt: [String: Int] = [:]
        var i = 0
        func problem(_ at: Int, _ reason: String) -> Problem { Problem(column: at + 1, reason: reason) }
        func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" }
        func skipSpaces() { while i < chars.count && isSpace(chars[i]) { i += 1 } }
        skipSpaces()
        if i == chars.count { throw problem(0, "empty value (- removes the header)") }
        while i < chars.count {
            skipSpaces()
            let start = i
            while i < chars.count && chars[i] != "," && chars[i] != "=" && !isSpace(chars[i]) { i += 1 }
            let name = String(chars[start..<i]).lowercased()
            if name.isEmpty {
                let twoCommas = chars.indices.contains(start) && chars[start] == ","
                throw problem(start, twoCommas ? "an empty directive (two commas)" : "a directive name is missing")
            }
            if let bad = chars[start..<i].firstIndex(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
                throw problem(bad, "\"\(chars[bad])\" cannot be in a directive name")
            }
            guard let kind = directives[name] else {
                throw problem(start, "unknown directive \"\(String(chars[start..<i]))\"" + suggestion(for: name))
            }
            skipSpaces()
            var argument: String?
            var argumentAt = i
            if i < chars.count && chars[i] == "=" {
                i += 1
                skipSpaces()
                argumentAt = i
                if i < chars.count && chars[i] == "\"" {
                    i += 1
                    let open = i
                    while i < chars.count && chars[i] != "\"" { i += 1 }
                    guard i < chars.count else { throw problem(open - 1, "a quoted argument is not closed") }
                    argument = String(chars[open..<i])
                    i += 1
                } else {
                    let open = i
                    while i < chars.count && chars[i] != "," && !isSpace(chars[i]) { i += 1 }
                    argument = String(chars[open..<i])
                }
            }
            switch kind {
            case .none:
                if argument != nil { throw problem(argumentAt, "\(name) takes no value") }
            case .seconds, .optionalSeconds:
                guard let arg = argument, !arg.isEmpty else {
                    if kind == .optionalSeconds && argument == nil { break }
                    let at = argument == nil ? start : argumentAt
                    throw problem(at, "\(name) needs a number of seconds (\(name)=3600)")
                }
                if let bad = arg.firstIndex(where: { !("0"..."9").contains($0) }) {
                    let at = argumentAt + arg.distance(from: arg.startIndex, to: bad)
                    throw problem(at, "\(name) needs a whole number of seconds, and \"\(arg[bad])\" is not a digit")
                }
            case .optionalFieldNames: break
            }
            if let earlier = seenAt[name] {
                throw problem(start, "\(name) is given twice (first at column \(earlier + 1))")
            }
            seenAt[name] = start
            for (a, b) in contradictions where (name == a && seenAt[b] != nil) || (name == b && seenAt[a] != nil) {
                throw problem(start, "\(a) contradicts \(b)")
            }
            out.append((name, argument))
            skipSpaces()
            if i < chars.count {
                guard chars[i] == "," else { throw problem(i, "expected a comma between directives") }
                i += 1
                skipSpaces()
                if i == chars.count { throw problem(i - 1, "a comma ends the value") }
            }
        }
        return out
    }

    static func suggestion(for name: String) -> String {
        let squeezed = name.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        let keys = directives.keys.sorted()
        if let match = keys.first(where: { $0.replacingOccurrences(of: "-", with: "") == squeezed }) {
            return " (did you mean \(match)?)"
        }
        return ""
    }
}
