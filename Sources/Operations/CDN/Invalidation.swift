import Foundation
import S3

/// How S3 keys become CloudFront invalidation paths, and how paths are split into
/// invalidations CloudFront accepts.
///
/// A distribution whose origin path is `static/` serves the key `static/css/app.css` as
/// `/css/app.css`; keys outside the origin path are not on the CDN at all. A prefix becomes
/// one wildcard path (`/css/*`). Non-ASCII and unsafe characters (RFC 1738: space, `"#%<>`,
/// `{}|\^~[]` and the backquote, plus `?`, which would start a query, and control characters) are
/// percent-encoded and nothing else, as CloudFront asks: an encoded `/` or `+` would name another
/// cache entry. A `*` in a key cannot be sent (CloudFront takes it as a wildcard, only at the end),
/// so such a key is invalidated as a wildcard ending where its first `*` stood.
public enum Invalidation {
    /// Paths of one invalidation: CloudFront takes 3,000 file paths and 15 wildcard paths in
    /// progress per distribution at a time, so one invalidation holds at most that many and the
    /// next waits for it.
    public static let maxFilePaths = 3000
    public static let maxWildcardPaths = 15
    public static let maxPathLength = 4000

    /// `static/` for `static/`, `/static`, `/static/`; "" for none.
    public static func normalizedOriginPath(_ path: String?) -> String {
        guard var p = path else { return "" }
        while p.hasPrefix("/") { p.removeFirst() }
        if p.isEmpty { return "" }
        return p.hasByteSuffix("/") ? p : p + "/"
    }

    /// The CloudFront path of a target, or nil when the CDN does not serve it (outside the
    /// origin path).
    public static func path(for target: InvalidationTarget, originPath: String) throws -> String? {
        let origin = normalizedOriginPath(originPath)
        let path: String
        switch target {
        case .key(let key):
            guard key.hasBytePrefix(origin) else { return nil }
            let rest = key.droppingBytePrefix(origin)
            if let star = rest.firstIndex(of: "*") {
                path = "/" + encode(String(rest[..<star])) + "*"
            } else {
                path = "/" + encode(rest)
            }
        case .prefix(let prefix):
            if prefix.hasBytePrefix(origin) {
                var rest = prefix.droppingBytePrefix(origin)
                if let star = rest.firstIndex(of: "*") { rest = String(rest[..<star]) }
                path = "/" + encode(rest) + "*"
            } else if origin.hasBytePrefix(prefix) {
                // A prefix above the origin path holds all the CDN serves.
                path = "/*"
            } else {
                return nil
            }
        }
        guard path.utf8.count <= maxPathLength else {
            throw S3Error.configuration(
                "a CloudFront invalidation path is at most \(maxPathLength) characters; "
                    + "\(TerminalSafe.escape(String(path.prefix(60))))… is longer: invalidate its prefix")
        }
        return path
    }

    /// Percent-encodes what CloudFront wants encoded (see the type's comment), byte by byte.
    static func encode(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isKept(b) {
                out.append(b)
            } else {
                out += [0x25, hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Letters, digits and `-._/!$&'()+,;=:@`.
    private static func isKept(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || Array("-._/!$&'()+,;=:@".utf8).contains(b)
    }

    /// Paths without repeats and without those a wildcard of the same request covers
    /// (`/css/app.css` under `/css/*`), split into invalidations within CloudFront's limits.
    /// Paths are ASCII after `encode`, so comparing them as strings compares their bytes.
    public static func batches(_ paths: [String]) -> [[String]] {
        var seen: Set<String> = []
        let unique = paths.filter { seen.insert($0).inserted }
        let stems = unique.filter { $0.hasSuffix("*") }.map { String($0.dropLast()) }
        let kept = unique.filter { path in
            let own = path.hasSuffix("*") ? String(path.dropLast()) : nil
            return !stems.contains { stem in
                if let own { return stem != own && own.hasPrefix(stem) }
                return path.hasPrefix(stem)
            }
        }
        var out: [[String]] = []
        var current: [String] = []
        var files = 0
        var wildcards = 0
        for path in kept {
            let wild = path.hasSuffix("*")
            if (wild && wildcards == maxWildcardPaths) || (!wild && files == maxFilePaths) {
                out.append(current)
                current = []
                files = 0
                wildcards = 0
            }
            current.append(path)
            if wild { wildcards += 1 } else { files += 1 }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
