import Foundation
import S3

/// The profiles of the AWS files and of pail's configuration file, and what the browser
/// needs to connect as one of them without quitting (`P`).
///
/// A profile in pail's file (`[profile local]` with `endpoint_url`, `region`,
/// `addressing_style`, `aws_profile`) adds to the ~/.aws profile of the same name, or
/// stands alone: its credentials then come from `aws_profile`, else from the environment.
/// Its settings rank as a ~/.aws profile's do: below the command line and the environment.
public struct ProfileCatalog: Sendable {
    public var entries: [ProfileEntry] = []
    public var pailConfig: PailConfig
    public var environment: [String: String]
    /// What a switch keeps from the command line: `--connect-to`, `--read-only`; the
    /// profile, endpoint, region, addressing and `--no-sign-request` belong to the profile.
    public var options: GlobalOptions
    /// Seconds per small request (`--timeout`), kept across a switch.
    public var requestTimeout: Int
    /// Why every write is refused whatever the profile (a broken pail file that mentions
    /// read_only), besides `--read-only`.
    public var readOnlyRegardless: String?

    public init(
        environment env: [String: String], pailConfig: PailConfig, options: GlobalOptions = GlobalOptions(),
        requestTimeout: Int = 30, readOnlyRegardless: String? = nil
    ) throws {
        self.environment = env
        self.pailConfig = pailConfig
        self.options = options
        self.requestTimeout = requestTimeout
        self.readOnlyRegardless = readOnlyRegardless
        let home = env["HOME"] ?? NSHomeDirectory()
        func expand(_ p: String) -> String { p.hasPrefix("~/") ? home + p.dropFirst(1) : p }
        let configPath = expand(env["AWS_CONFIG_FILE"] ?? "~/.aws/config")
        let credentialsPath = expand(env["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
        var byName: [String: ProfileEntry] = [:]
        func entry(_ name: String) -> ProfileEntry {
            byName[name] ?? ProfileEntry(name: name, region: nil, endpoint: nil, sources: [], readOnly: false)
        }
        if let file = try AWSConfigFile.load(configPath) {
            for (section, values) in file.sections {
                let name: String
                if section == "default" {
                    name = "default"
                } else if section.hasPrefix("profile ") {
                    name = String(section.dropFirst(8)).trimmingCharacters(in: .whitespaces)
                } else {
                    continue
                }
                var e = entry(name)
                if !e.sources.contains(configPath) { e.sources.append(configPath) }
                e.region = Self.nonEmpty(values["region"]) ?? e.region
                e.endpoint =
                    Self.nonEmpty(values["s3.endpoint_url"]) ?? Self.nonEmpty(values["endpoint_url"]) ?? e.endpoint
                byName[name] = e
            }
        }
        if let file = try AWSConfigFile.load(credentialsPath) {
            for section in file.sections.keys {
                var e = entry(section)
                e.sources.append(credentialsPath)
                byName[section] = e
            }
        }
        let pailPath = pailConfig.path ?? PailConfig.displayPath
        for (name, p) in pailConfig.profiles {
            var e = entry(name)
            e.sources.append(pailPath)
            e.region = p.region ?? e.region
            e.endpoint = p.endpointURL ?? e.endpoint
            e.readOnly = p.readOnly
            byName[name] = e
        }
        // default first, then by name (bytes, as everything pail sorts).
        entries = byName.values.sorted { a, b in
            a.name == "default" || (b.name != "default" && a.name.bytesPrecede(b.name))
        }
    }

    public func entry(named name: String) -> ProfileEntry? { entries.first { $0.name == name } }

    /// What `pail --profile NAME` connects with, here for the browser's switch: the command
    /// line's `--connect-to`, `--read-only` and timeout kept, and read_only of pail's file
    /// for the new profile applied. `askMFA` reads an MFA code; the browser owns the
    /// terminal, so it passes its own prompt or nothing (a role behind MFA is then refused).
    public func configuration(
        for name: String,
        askMFA: @escaping (_ serial: String, _ profile: String) -> String? = { _, _ in nil }
    )
        throws -> ClientConfiguration
    {
        guard entry(named: name) != nil else {
            let known = entries.map { TerminalSafe.escape($0.name) }.joined(separator: ", ")
            throw S3Error.configuration(
                "there is no profile \"\(TerminalSafe.escape(name))\""
                    + (known.isEmpty ? "; there are no profiles" : " (profiles: \(known))"))
        }
        var o = GlobalOptions()
        o.profile = name
        o.connectTo = options.connectTo
        o.readOnly = options.readOnly
        var c = try Self.resolve(o, environment: environment, pailConfig: pailConfig, askMFA: askMFA)
        c.requestTimeout = requestTimeout
        if c.readOnly.everywhere == nil { c.readOnly.everywhere = readOnlyRegardless }
        return c
    }

    /// For `S3Client.refreshCredentials` after a switch: the profile's credentials fetched
    /// again the same way (a role's, a credential_process's expire), with no MFA prompt.
    public func refresh(for name: String) -> () throws -> Credentials? {
        let catalog = self
        return { try catalog.configuration(for: name).credentials }
    }

    /// `ClientConfiguration.resolve` with pail's own profiles: a `[profile NAME]` of pail's
    /// file fills in the endpoint, region and addressing that neither the command line nor
    /// the environment gave, and names the ~/.aws profile for the credentials. read_only of
    /// pail's file for the profile and its buckets joins the result's policy.
    public static func resolve(
        _ options: GlobalOptions, environment env: [String: String], pailConfig: PailConfig,
        askMFA: @escaping (_ serial: String, _ profile: String) -> String? = { _, _ in nil }
    )
        throws -> ClientConfiguration
    {
        var o = options
        var e = env
        let name = options.profile ?? nonEmpty(env["AWS_PROFILE"])
        if let name, let own = pailConfig.profiles[name] {
            if o.endpointURL == nil && nonEmpty(env["AWS_ENDPOINT_URL_S3"]) == nil
                && nonEmpty(env["AWS_ENDPOINT_URL"]) == nil
            {
                o.endpointURL = own.endpointURL
            }
            if o.region == nil && nonEmpty(env["AWS_REGION"]) == nil && nonEmpty(env["AWS_DEFAULT_REGION"]) == nil {
                o.region = own.region
            }
            o.addressing = o.addressing ?? own.addressing
            let known = try knowsAWSProfile(name, environment: env)
            let credentialsProfile = own.awsProfile ?? (known ? name : nil)
            o.profile = credentialsProfile
            if credentialsProfile == nil { e["AWS_PROFILE"] = nil }
        }
        var c = try ClientConfiguration.resolve(o, environment: e, askMFA: askMFA)
        if let name { c.profile = name }
        let policy = pailConfig.readOnlyPolicy(profile: c.profile)
        c.readOnly.everywhere = c.readOnly.everywhere ?? policy.everywhere
        c.readOnly.buckets.merge(policy.buckets) { first, _ in first }
        return c
    }

    static func knowsAWSProfile(_ name: String, environment env: [String: String]) throws -> Bool {
        let home = env["HOME"] ?? NSHomeDirectory()
        func expand(_ p: String) -> String { p.hasPrefix("~/") ? home + p.dropFirst(1) : p }
        if let c = try AWSConfigFile.load(expand(env["AWS_CONFIG_FILE"] ?? "~/.aws/config")),
            c.sections[name == "default" ? "default" : "profile \(name)"] != nil
        {
            return true
        }
        if let c = try AWSConfigFile.load(expand(env["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")),
            c.sections[name] != nil
        {
            return true
        }
        return false
    }

    static func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
}
