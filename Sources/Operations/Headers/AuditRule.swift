import Foundation
import S3

/// The rules a header audit filters by.
public enum AuditRule: Sendable, Equatable {
    case missing(String)
    case equals(String, String)
    case contains(String, String)
    case notContains(String, String)
    /// Cache-Control max-age (or s-maxage) under this many seconds, or none at all.
    case maxAgeUnder(Int)
    /// `.css`, `.js`, `.mjs`, `.svg`, `.json` not served gzip- or br-encoded.
    case notCompressed
    /// Content-Type does not match what the extension says.
    case typeMismatch
    /// A font (`.woff2`, `.woff`, `.ttf`, `.otf`, `.eot`) whose public URL answers the site's
    /// `Origin` without an `Access-Control-Allow-Origin` for it: browsers refuse to load it
    /// from another origin ("blocked by CORS policy").
    case fontWithoutCORS

    /// Extensions browsers load cross-origin only with CORS.
    public static let corsExtensions: Set<String> = ["woff2", "woff", "ttf", "otf", "eot"]

    public static func needsCORS(_ key: String) -> Bool {
        corsExtensions.contains((key as NSString).pathExtension.lowercased())
    }

    /// Parses `--match` expressions: `NAME=VALUE`, `NAME~TEXT`, `NAME!~TEXT`,
    /// `max-age<1d`, `not-gzip`, `type-mismatch`.
    public static func parse(_ text: String) throws -> AuditRule {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "not-gzip", "not-compressed": return .notCompressed
        case "type-mismatch", "wrong-type": return .typeMismatch
        case "no-cors", "fonts-without-cors": return .fontWithoutCORS
        default: break
        }
        if t.lowercased().hasPrefix("max-age<") { return .maxAgeUnder(try Durations.parseAny(String(t.dropFirst(8)))) }
        if let r = t.range(of: "!~") { return .notContains(String(t[..<r.lowerBound]), String(t[r.upperBound...])) }
        if let r = t.range(of: "~") { return .contains(String(t[..<r.lowerBound]), String(t[r.upperBound...])) }
        if let r = t.range(of: "=") { return .equals(String(t[..<r.lowerBound]), String(t[r.upperBound...])) }
        throw S3Error.configuration("\"\(text)\" is not an audit rule: use NAME=VALUE, NAME~TEXT, NAME!~TEXT, "
                                    + "max-age<1d, not-gzip, type-mismatch or no-cors")
    }

    public func matches(_ row: AuditRow) -> Bool {
        switch self {
        case .missing(let h): return (row.value(of: h) ?? "").isEmpty
        case .equals(let h, let v): return row.value(of: h) == v
        case .contains(let h, let v): return row.value(of: h)?.lowercased().contains(v.lowercased()) ?? false
        case .notContains(let h, let v): return !(row.value(of: h)?.lowercased().contains(v.lowercased()) ?? false)
        case .maxAgeUnder(let limit):
            guard let age = CacheControl.maxAge(row.cacheControl) else { return true }
            return age < limit
        case .notCompressed:
            let ext = (row.key as NSString).pathExtension.lowercased()
            guard ["css", "js", "mjs", "svg", "json", "map", "html", "txt", "xml"].contains(ext) else { return false }
            let enc = (row.contentEncoding ?? "").lowercased()
            return !(enc.contains("gzip") || enc.contains("br"))
        case .fontWithoutCORS:
            guard AuditRule.needsCORS(row.key), let cors = row.cors else { return false }
            guard let allowed = cors.allowOrigin?.trimmingCharacters(in: .whitespaces) else { return true }
            return !(allowed == "*" || allowed.lowercased() == cors.origin.lowercased())
        case .typeMismatch:
            let guess = ContentTypes.guess(forName: row.key)
            guard guess != ContentTypes.fallback else { return false }
            let actual = ContentTypes.mediaType(row.contentType)
            let expected = ContentTypes.mediaType(guess)
            let aliases: [String: Set<String>] = [
                "text/javascript": ["application/javascript", "application/x-javascript"],
                "application/json": ["text/json"], "image/vnd.microsoft.icon": ["image/x-icon"],
            ]
            return actual != expected && !(aliases[expected]?.contains(actual) ?? false)
        }
    }
}
