import Foundation
import S3

/// Settings for one bucket from pail's configuration file.
public struct BucketSettings: Sendable, Equatable {
    public var cdnDomain: String?
    /// The CloudFront-style origin path: the CDN serves keys under this prefix at its root.
    public var cdnOriginPath: String?
    public var urlForm: URLForm?
    public var presignSeconds: Int?
    /// The CloudFront distribution in front of the bucket (`E2QWRUHAPOMQZL`).
    public var cloudfrontDistribution: String?
    /// A command run with the changed URLs, for other CDNs (see PurgeCommand).
    public var purgeCommand: String?
    /// The site's origin (`https://www.example.com`), sent as `Origin` by the public-URL check.
    public var siteOrigin: String?
    /// `read_only = true`: pail sends no write to this bucket.
    public var readOnly = false
    /// An R2 bucket's public development URL, `https://pub-<hash>.r2.dev` (no trailing slash).
    public var r2DevURL: String?
    public init() {}
}

/// A default header rule for uploads: keys matching `pattern` get these headers.
public struct UploadRule: Sendable, Equatable {
    public var bucket: String?
    public var pattern: String
    public var headers: [(String, String)]

    public static func == (a: UploadRule, b: UploadRule) -> Bool {
        a.bucket == b.bucket && a.pattern == b.pattern && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
    }

    /// `*` matches within one path segment, `**` across segments.
    public func matches(_ key: String) -> Bool { Glob.matches(pattern, key) }
}

/// pail's configuration file, `$XDG_CONFIG_HOME/pail/config` (else `~/.config/pail/config`):
///
///     [bucket django-site]
///     cdn_domain = cdn.example.com
///     cdn_origin_path = static/
///     url_form = cdn
///     presign_expires = 1d
///     cloudfront_distribution = E2QWRUHAPOMQZL
///     purge_command = /usr/local/bin/purge-cdn --zone site
///     site_origin = https://www.example.com
///     r2_dev_url = https://pub-0123456789abcdef0123456789abcdef.r2.dev
///
///     read_only = true
///
///     [profile prod]
///     read_only = true
///
///     [upload static/**]
///     cache_control = public, max-age=31536000
///
/// A malformed file is reported with its name and line; pail then runs without it.
public struct PailConfig: Sendable {
    public var buckets: [String: BucketSettings] = [:]
    public var uploadRules: [UploadRule] = []
    /// Profiles (of ~/.aws) under which pail sends no write (`[profile NAME] read_only = true`).
    public var readOnlyProfiles: Set<String> = []
    public var path: String?

    public init() {}

    public static var displayPath: String { "$XDG_CONFIG_HOME/pail/config" }

    public static func defaultPath(environment env: [String: String]) -> String {
        if let xdg = env["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/pail/config" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.config/pail/config"
    }

    public func settings(for bucket: String) -> BucketSettings { buckets[bucket] ?? BucketSettings() }

    /// Loads the file; returns the configuration and a one-line warning when it is malformed.
    public static func load(environment env: [String: String]) -> (PailConfig, String?) {
        let path = env["PAIL_CONFIG"] ?? defaultPath(environment: env)
        do {
            guard let file = try AWSConfigFile.load(path) else { return (PailConfig(), nil) }
            var config = try parse(file)
            config.path = path
            return (config, nil)
        } catch {
            return (PailConfig(), "\(error) (pail goes on without its configuration file)")
        }
    }

    static func parse(_ file: AWSConfigFile) throws -> PailConfig {
        var config = PailConfig()
        for (section, values) in file.sections.sorted(by: { $0.key < $1.key }) {
            if section.hasPrefix("bucket ") {
                let name = String(section.dropFirst(7)).trimmingCharacters(in: .whitespaces)
                var s = BucketSettings()
                for (k, v) in values {
                    switch k {
                    case "cdn_domain", "custom_domain": s.cdnDomain = v
                    case "cdn_origin_path", "location": s.cdnOriginPath = v.hasByteSuffix("/") || v.isEmpty ? v : v + "/"
                    case "url_form":
                        guard let form = URLForm(rawValue: v) else {
                            throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] url_form \"\(v)\" must be one of \(URLForm.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        s.urlForm = form
                    case "presign_expires":
                        do { s.presignSeconds = try Durations.parse(v) } catch {
                            throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] presign_expires: \(error)")
                        }
                    case "cloudfront_distribution":
                        guard CloudFrontDistribution.isValidId(v) else {
                            throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] "
                                + "cloudfront_distribution \"\(TerminalSafe.escape(v))\" is not a distribution id "
                                + "(upper-case letters and digits, like E2QWRUHAPOMQZL)")
                        }
                        s.cloudfrontDistribution = v
                    case "purge_command":
                        do { _ = try PurgeCommand(parsing: v) } catch {
                            throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] \(error)")
                        }
                        s.purgeCommand = v
                    case "site_origin":
                        guard let origin = PublicURLProbe.normalizedOrigin(v) else {
                            throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] "
                                + "site_origin \"\(TerminalSafe.escape(v))\" must be scheme://host[:port], "
                                + "like https://www.example.com")
                        }
                        s.siteOrigin = origin
                    case "read_only": s.readOnly = try readOnlyValue(v, file, section)
                    case "r2_dev_url":
                        guard let url = r2DevURL(v) else {
                            throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] "
                                + "r2_dev_url \"\(TerminalSafe.escape(v))\" must be the bucket's public "
                                + "development URL, like https://pub-0123456789abcdef0123456789abcdef.r2.dev")
                        }
                        s.r2DevURL = url
                    default:
                        throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] unknown setting \"\(k)\"")
                    }
                }
                config.buckets[name] = s
            } else if section.hasPrefix("upload ") {
                var pattern = String(section.dropFirst(7)).trimmingCharacters(in: .whitespaces)
                var bucket: String?
                if pattern.hasPrefix("s3://") {
                    let rest = pattern.dropFirst(5)
                    bucket = String(rest.prefix { $0 != "/" })
                    pattern = String(rest.dropFirst(bucket!.count + 1))
                }
                let names = ["cache_control": "Cache-Control", "content_type": "Content-Type", "content_encoding": "Content-Encoding",
                             "content_disposition": "Content-Disposition", "content_language": "Content-Language"]
                var headers: [(String, String)] = []
                for (k, v) in values.sorted(by: { $0.key < $1.key }) {
                    if let h = names[k] { headers.append((h, v)) }
                    else if k.hasPrefix("metadata.") { headers.append(("x-amz-meta-" + k.dropFirst(9), v)) }
                    else { throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] unknown header setting \"\(k)\"") }
                }
                config.uploadRules.append(UploadRule(bucket: bucket, pattern: pattern, headers: headers))
            } else if section.hasPrefix("profile ") {
                // Read-only profiles: the only profile setting pail's own file holds.
                let name = String(section.dropFirst(8)).trimmingCharacters(in: .whitespaces)
                for (k, v) in values {
                    guard k == "read_only" else {
                        throw S3Error.configuration("\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] "
                                                    + "unknown setting \"\(k)\"; a profile takes read_only")
                    }
                    if try readOnlyValue(v, file, section) { config.readOnlyProfiles.insert(name) }
                }
            } else {
                throw S3Error.configuration("\(file.path): unknown section [\(section)]; "
                                            + "use [bucket NAME], [profile NAME] or [upload PATTERN]")
            }
        }
        return config
    }

    /// `https://pub-<hex>.r2.dev` as Cloudflare shows it (the scheme and a final `/` optional),
    /// normalized; nil for anything else, so a typo is reported rather than printed as URLs.
    static func r2DevURL(_ text: String) -> String? {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("https://") { t.removeFirst(8) }
        while t.hasByteSuffix("/") { t.removeLast() }
        guard t.hasPrefix("pub-"), t.hasSuffix(".r2.dev") else { return nil }
        let hash = t.dropFirst(4).dropLast(7)
        let isHex = hash.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        guard (16...64).contains(hash.count), isHex else { return nil }
        return "https://" + t
    }

    static func readOnlyValue(_ v: String, _ file: AWSConfigFile, _ section: String) throws -> Bool {
        switch v.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default:
            let line = file.lines[section]?["read_only"] ?? 0
            throw S3Error.configuration("\(file.path):\(line): [\(section)] read_only \"\(v)\" must be true or false")
        }
    }

    /// The writes to refuse under `profile`: every write for a read-only profile, else those
    /// to read-only buckets; each reason names this file, so the message says what to change.
    public func readOnlyPolicy(profile: String) -> ReadOnlyPolicy {
        let file = path ?? Self.displayPath
        var policy = ReadOnlyPolicy()
        if readOnlyProfiles.contains(profile) { policy.everywhere = "read_only in [profile \(profile)] of \(file)" }
        for (name, s) in buckets where s.readOnly { policy.buckets[name] = "read_only in [bucket \(name)] of \(file)" }
        return policy
    }
}

/// Shell-style patterns for keys: `*` and `?` stay within a segment, `**` crosses them.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        match(Array(pattern.unicodeScalars), 0, Array(text.unicodeScalars), 0)
    }

    private static func match(_ p: [Unicode.Scalar], _ pi: Int, _ t: [Unicode.Scalar], _ ti: Int) -> Bool {
        if pi == p.count { return ti == t.count }
        if p[pi] == "*" {
            let double = pi + 1 < p.count && p[pi + 1] == "*"
            let next = double ? pi + 2 : pi + 1
            var i = ti
            while true {
                if match(p, next, t, i) { return true }
                if i == t.count || (!double && t[i] == "/") { return false }
                i += 1
            }
        }
        guard ti < t.count else { return false }
        if p[pi] == "?" { return t[ti] != "/" && match(p, pi + 1, t, ti + 1) }
        return p[pi] == t[ti] && match(p, pi + 1, t, ti + 1)
    }
}
