import Foundation
import S3

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
///     [profile local]
///     endpoint_url = http://127.0.0.1:8333
///     region = us-east-1
///     aws_profile = seaweed
///
///     [bookmarks]
///     m = s3://django-site/media/
///
///     [keys]
///     delete = x
///
///     [colors]
///     title = black on cyan bold
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
    /// `[profile NAME]` sections, read_only included.
    public var profiles: [String: ProfileSettings] = [:]
    /// `[bookmarks]`, in file order: a letter or a name = s3://bucket[/prefix/].
    public var bookmarks: [Bookmark] = []
    /// `[keys]`: action = key(s), syntax checked; the browser validates the actions.
    public var keys = KeyBindings()
    /// `[colors]`: role = colour.
    public var colors = ColorScheme()
    public var path: String?

    public init() {}

    public static var displayPath: String { "$XDG_CONFIG_HOME/pail/config" }

    public static func defaultPath(environment env: [String: String]) -> String {
        if let xdg = env["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/pail/config" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.config/pail/config"
    }

    public func settings(for bucket: String) -> BucketSettings { buckets[bucket] ?? BucketSettings() }

    /// The bookmark named exactly `name` (names are case-sensitive: `m` and `M` differ).
    public func bookmark(named name: String) -> Bookmark? { bookmarks.last { $0.name == name } }

    /// The configuration file pail reads: PAIL_CONFIG, else the XDG location.
    public static func path(environment env: [String: String]) -> String {
        env["PAIL_CONFIG"] ?? defaultPath(environment: env)
    }

    /// Loads the file; returns the configuration and a one-line warning when it is malformed.
    public static func load(environment env: [String: String]) -> (PailConfig, String?) {
        let path = path(environment: env)
        do {
            guard let file = try AWSConfigFile.load(path, inlineComments: true) else { return (PailConfig(), nil) }
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
            let entries = file.entries[section] ?? []
            if section == "bookmarks" {
                config.bookmarks = try entries.map {
                    try Bookmark(name: $0.name, uri: $0.value, at: "\(file.path):\($0.line)")
                }
            } else if section == "keys" {
                config.keys = try KeyBindings.parse(entries, path: file.path)
            } else if section == "colors" || section == "colours" {
                config.colors = try ColorScheme.parse(entries, path: file.path)
            } else if section.hasPrefix("bucket ") {
                let name = String(section.dropFirst(7)).trimmingCharacters(in: .whitespaces)
                var s = BucketSettings()
                for (k, v) in values {
                    switch k {
                    case "cdn_domain", "custom_domain": s.cdnDomain = v
                    case "cdn_origin_path", "location":
                        s.cdnOriginPath = v.hasByteSuffix("/") || v.isEmpty ? v : v + "/"
                    case "url_form":
                        guard let form = URLForm(rawValue: v) else {
                            throw S3Error.configuration(
                                "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] url_form \"\(v)\" "
                                    + "must be one of \(URLForm.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        s.urlForm = form
                    case "presign_expires":
                        do { s.presignSeconds = try Durations.parse(v) } catch {
                            throw S3Error.configuration(
                                "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] presign_expires: \(error)")
                        }
                    case "cloudfront_distribution":
                        guard CloudFrontDistribution.isValidId(v) else {
                            throw S3Error.configuration(
                                "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] "
                                    + "cloudfront_distribution \"\(TerminalSafe.escape(v))\" is not a distribution id "
                                    + "(upper-case letters and digits, like E2QWRUHAPOMQZL)")
                        }
                        s.cloudfrontDistribution = v
                    case "purge_command":
                        do { _ = try PurgeCommand(parsing: v) } catch {
                            throw S3Error.configuration(
                                "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] \(error)")
                        }
                        s.purgeCommand = v
                    case "site_origin":
                        guard let origin = PublicURLProbe.normalizedOrigin(v) else {
                            throw S3Error.configuration(
                                "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] "
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
                        throw S3Error.configuration(
                            "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] unknown setting \"\(k)\"")
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
                let names = [
                    "cache_control": "Cache-Control", "content_type": "Content-Type",
                    "content_encoding": "Content-Encoding",
                    "content_disposition": "Content-Disposition", "content_language": "Content-Language",
                ]
                var headers: [(String, String)] = []
                for (k, v) in values.sorted(by: { $0.key < $1.key }) {
                    if let h = names[k] {
                        headers.append((h, v))
                    } else if k.hasPrefix("metadata.") {
                        headers.append(("x-amz-meta-" + k.dropFirst(9), v))
                    } else {
                        throw S3Error.configuration(
                            "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)] unknown header setting \"\(k)\""
                        )
                    }
                }
                config.uploadRules.append(UploadRule(bucket: bucket, pattern: pattern, headers: headers))
            } else if section.hasPrefix("profile ") {
                let name = String(section.dropFirst(8)).trimmingCharacters(in: .whitespaces)
                config.profiles[name] = try profileSettings(values, file, section)
                if config.profiles[name]!.readOnly { config.readOnlyProfiles.insert(name) }
            } else {
                throw S3Error.configuration(
                    "\(file.path): unknown section [\(section)]; use [bucket NAME], "
                        + "[profile NAME], [upload PATTERN], [bookmarks], [keys] or [colors]")
            }
        }
        return config
    }

    /// A profile's own settings; credentials stay in ~/.aws (never in this file).
    static func profileSettings(_ values: [String: String], _ file: AWSConfigFile, _ section: String) throws
        -> ProfileSettings
    {
        var p = ProfileSettings()
        for (k, v) in values.sorted(by: { $0.key < $1.key }) {
            let at = "\(file.path):\(file.lines[section]?[k] ?? 0): [\(section)]"
            switch k {
            case "read_only": p.readOnly = try readOnlyValue(v, file, section)
            case "region": p.region = v.isEmpty ? nil : v
            case "endpoint_url":
                do { _ = try S3Endpoint(parsing: v) } catch {
                    throw S3Error.configuration("\(at) endpoint_url: \(error)")
                }
                p.endpointURL = v
            case "addressing_style":
                guard let style = AddressingStyle(rawValue: v.lowercased()) else {
                    throw S3Error.configuration(
                        "\(at) addressing_style \"\(TerminalSafe.escape(v))\" "
                            + "must be path, virtual or auto")
                }
                p.addressing = style
            case "aws_profile": p.awsProfile = v.isEmpty ? nil : v
            case "aws_access_key_id", "aws_secret_access_key", "aws_session_token":
                // Said without the value: it is a secret.
                throw S3Error.configuration(
                    "\(at) \(k) belongs in ~/.aws/credentials, not in pail's file; "
                        + "name that profile with aws_profile")
            default:
                throw S3Error.configuration(
                    "\(at) unknown setting \"\(TerminalSafe.escape(k))\"; a profile takes "
                        + "region, endpoint_url, addressing_style, aws_profile and read_only")
            }
        }
        return p
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
