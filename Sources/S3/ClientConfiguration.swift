import Foundation

/// The global options every command takes (`../shared/design.md`).
public struct GlobalOptions: Sendable {
    public var profile: String?
    public var endpointURL: String?
    public var region: String?
    public var addressing: AddressingStyle?
    public var noSignRequest = false
    public init() {}
}

/// Everything an S3Client needs, resolved from options, environment and AWS files.
public struct ClientConfiguration: Sendable {
    public var endpoint: S3Endpoint
    public var region: String
    public var addressing: AddressingStyle
    /// nil: send unsigned requests (`--no-sign-request`).
    public var credentials: Credentials?
    public var caBundle: String?
    public var profile: String
    public var maxAttempts = 5
    public var connectTimeout = 10

    public init(endpoint: S3Endpoint, region: String, addressing: AddressingStyle = .auto,
                credentials: Credentials?, caBundle: String? = nil, profile: String = "default") {
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self.credentials = credentials
        self.caBundle = caBundle
        self.profile = profile
    }

    /// Resolves in aws-cli's order. `runProcess` runs a `credential_process` command and
    /// returns its standard output (a parameter so tests need no shell).
    public static func resolve(_ options: GlobalOptions, environment env: [String: String],
                               runProcess: (String) throws -> String = ClientConfiguration.runShell) throws -> ClientConfiguration {
        let home = env["HOME"] ?? NSHomeDirectory()
        func expand(_ p: String) -> String { p.hasPrefix("~/") ? home + p.dropFirst(1) : p }
        let credentialsPath = expand(env["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
        let configPath = expand(env["AWS_CONFIG_FILE"] ?? "~/.aws/config")
        let credentialsFile = try AWSConfigFile.load(credentialsPath)
        let configFile = try AWSConfigFile.load(configPath)

        let explicitProfile = options.profile ?? nonEmpty(env["AWS_PROFILE"])
        let profile = explicitProfile ?? "default"
        func configSection(_ name: String) -> [String: String]? {
            configFile?.sections[name == "default" ? "default" : "profile \(name)"]
                ?? (name == "default" ? configFile?.sections["profile default"] : nil)
        }
        let config = configSection(profile) ?? [:]
        if let explicit = explicitProfile, configSection(explicit) == nil, credentialsFile?.sections[explicit] == nil {
            throw S3Error.configuration("profile \"\(explicit)\" is not in \(credentialsPath) or \(configPath)")
        }

        // Endpoint and addressing.
        let endpointURL = options.endpointURL ?? nonEmpty(env["AWS_ENDPOINT_URL_S3"]) ?? nonEmpty(env["AWS_ENDPOINT_URL"])
            ?? nonEmpty(config["s3.endpoint_url"]) ?? nonEmpty(config["endpoint_url"])
        var region = options.region ?? nonEmpty(env["AWS_REGION"]) ?? nonEmpty(env["AWS_DEFAULT_REGION"])
            ?? nonEmpty(config["region"])
        let endpoint: S3Endpoint
        if let endpointURL {
            endpoint = try S3Endpoint(parsing: endpointURL)
            if region == nil && endpoint.isCloudflareR2 { region = "auto" }
        } else {
            endpoint = S3Endpoint.aws(region: region ?? "us-east-1")
        }
        var addressing = options.addressing ?? .auto
        if options.addressing == nil, let style = config["s3.addressing_style"] {
            guard let parsed = AddressingStyle(rawValue: style.lowercased()) else {
                throw S3Error.configuration("\(configPath): s3.addressing_style \"\(style)\" must be path, virtual or auto")
            }
            addressing = parsed
        }
        let caBundle = nonEmpty(env["AWS_CA_BUNDLE"]) ?? nonEmpty(config["ca_bundle"])

        // Credentials.
        var credentials: Credentials?
        if !options.noSignRequest {
            var searched: [String] = []
            // aws-cli skips environment keys when --profile is given on the command line.
            if options.profile == nil {
                searched.append("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
                if let id = nonEmpty(env["AWS_ACCESS_KEY_ID"]), let secret = nonEmpty(env["AWS_SECRET_ACCESS_KEY"]) {
                    credentials = Credentials(accessKeyId: id, secretAccessKey: secret,
                                              sessionToken: nonEmpty(env["AWS_SESSION_TOKEN"]) ?? nonEmpty(env["AWS_SECURITY_TOKEN"]),
                                              source: "environment")
                }
            }
            if credentials == nil {
                credentials = try profileCredentials(profile, config: configSection, credentialsFile: credentialsFile,
                                                     credentialsPath: credentialsPath, configPath: configPath,
                                                     runProcess: runProcess, searched: &searched, depth: 0)
            }
            guard let found = credentials else { throw S3Error.noCredentials(searched: searched) }
            credentials = found
        }
        return ClientConfiguration(endpoint: endpoint, region: region ?? "us-east-1", addressing: addressing,
                                   credentials: credentials, caBundle: caBundle, profile: profile)
    }

    private static func profileCredentials(_ profile: String, config: (String) -> [String: String]?,
                                           credentialsFile: AWSConfigFile?, credentialsPath: String, configPath: String,
                                           runProcess: (String) throws -> String, searched: inout [String],
                                           depth: Int) throws -> Credentials? {
        guard depth < 5 else { throw S3Error.configuration("\(configPath): source_profile chain is too long or loops") }
        let section = config(profile) ?? [:]
        if let source = nonEmpty(section["source_profile"]) {
            if section["role_arn"] != nil {
                throw S3Error.configuration("\(configPath): profile \"\(profile)\" assumes a role (role_arn); pail does not call STS yet: use aws-cli's credential_process or export temporary keys")
            }
            return try profileCredentials(source, config: config, credentialsFile: credentialsFile,
                                          credentialsPath: credentialsPath, configPath: configPath,
                                          runProcess: runProcess, searched: &searched, depth: depth + 1)
        }
        searched.append("profile \"\(profile)\" in \(credentialsPath)")
        if let s = credentialsFile?.sections[profile], let c = staticKeys(s, source: "profile \(profile) in \(credentialsPath)") {
            return c
        }
        if let command = nonEmpty(section["credential_process"]) {
            searched.append("credential_process of profile \"\(profile)\"")
            return try processCredentials(command, profile: profile, runProcess: runProcess)
        }
        searched.append("profile \"\(profile)\" in \(configPath)")
        return staticKeys(section, source: "profile \(profile) in \(configPath)")
    }

    private static func staticKeys(_ s: [String: String], source: String) -> Credentials? {
        guard let id = nonEmpty(s["aws_access_key_id"]), let secret = nonEmpty(s["aws_secret_access_key"]) else { return nil }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: nonEmpty(s["aws_session_token"]), source: source)
    }

    /// `credential_process` prints `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
    /// "SessionToken": ..., "Expiration": ISO 8601}`.
    static func processCredentials(_ command: String, profile: String, runProcess: (String) throws -> String) throws -> Credentials {
        let output = try runProcess(command)
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
              let id = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String else {
            throw S3Error.configuration("credential_process of profile \"\(profile)\" did not print JSON with AccessKeyId and SecretAccessKey")
        }
        if let version = object["Version"] as? Int, version != 1 {
            throw S3Error.configuration("credential_process of profile \"\(profile)\" printed Version \(version); pail reads Version 1")
        }
        let expiration = (object["Expiration"] as? String).flatMap(Timestamps.parseISO8601)
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: object["SessionToken"] as? String,
                           expiration: expiration, source: "credential_process of profile \(profile)")
    }

    public static func runShell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw S3Error.configuration("credential_process exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}
