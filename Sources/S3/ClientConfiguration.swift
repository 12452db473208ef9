import Foundation

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
    /// Seconds a request without a large body or download (a listing page, a HEAD, a
    /// delete) may take per attempt (`--timeout`, `PAIL_TIMEOUT`).
    public var requestTimeout = 30

    /// `HOST:PORT:ADDR:PORT` overrides of where to connect (see GlobalOptions.connectTo).
    public var connectTo: [String] = []

    /// Writes pail refuses before sending them (S3Client.perform).
    public var readOnly = ReadOnlyPolicy()

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
    /// returns its standard output, `assumeRole` calls STS for a role, `fetchLocal` asks the
    /// container or instance metadata service, `fetchSSO` the IAM Identity Center portal
    /// (parameters so tests need no shell, STS, EC2 or SSO); `askMFA` reads the code of an MFA
    /// device from the person (nil: nobody to ask).
    public static func resolve(_ options: GlobalOptions, environment env: [String: String],
                               runProcess: @escaping (String) throws -> String = ClientConfiguration.runShell,
                               assumeRole: @escaping (AssumeRoleRequest, Credentials?) throws -> Credentials = {
                                   try STS.assumeRole($0, source: $1)
                               },
                               fetchLocal: @escaping CredentialFetch = MachineCredentials.curlFetch,
                               fetchSSO: CredentialFetch? = nil,
                               askMFA: @escaping (_ serial: String, _ profile: String) -> String?
                                   = ClientConfiguration.askOnTerminal)
        throws -> ClientConfiguration {
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
            // Names what there is: a typo is then plain to see.
            let known = Set((credentialsFile?.sections.keys.map { $0 } ?? [])
                + (configFile?.sections.keys.compactMap { s -> String? in
                    s == "default" ? s : (s.hasPrefix("profile ") ? String(s.dropFirst(8)) : nil) } ?? [])).sorted()
            let choices = known.isEmpty ? "there are no profiles" : "known profiles: \(known.joined(separator: ", "))"
            throw S3Error.configuration("profile \"\(explicit)\" is not in \(credentialsPath) or \(configPath) "
                                        + "(\(choices)); pick one, or create it with "
                                        + "`aws configure --profile \(explicit)`")
        }

        // Endpoint and addressing.
        let endpointURL = options.endpointURL ?? nonEmpty(env["AWS_ENDPOINT_URL_S3"])
            ?? nonEmpty(env["AWS_ENDPOINT_URL"]) ?? nonEmpty(config["s3.endpoint_url"])
            ?? nonEmpty(config["endpoint_url"])
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
                throw S3Error.configuration("\(configPath): s3.addressing_style \"\(style)\" "
                                            + "must be path, virtual or auto")
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
                credentials = environmentKeys(env)
            }
            if credentials == nil {
                // STS: the service's own endpoint settings first, then the general ones (as
                // aws-cli); MinIO, for one, answers AssumeRole at its S3 endpoint.
                let services = config["services"].flatMap { configFile?.sections["services \($0)"] }
                let stsURL = nonEmpty(env["AWS_ENDPOINT_URL_STS"]) ?? nonEmpty(env["AWS_ENDPOINT_URL"])
                    ?? nonEmpty(services?["sts.endpoint_url"]) ?? nonEmpty(config["endpoint_url"])
                let stsRegion = region ?? "us-east-1"
                let resolver = ProfileResolver(
                    config: configSection, credentialsFile: credentialsFile, credentialsPath: credentialsPath,
                    configPath: configPath, home: home, environment: env, runProcess: runProcess,
                    assumeRole: assumeRole,
                    ssoSession: { configFile?.sections["sso-session \($0)"] },
                    fetchSSO: fetchSSO ?? SSOCredentials.curlFetch(caBundle: caBundle), askMFA: askMFA,
                    stsEndpoint: try stsURL.map { try S3Endpoint(parsing: $0) }
                        ?? AssumeRoleRequest.awsEndpoint(region: stsRegion),
                    stsRegion: stsRegion, caBundle: caBundle)
                credentials = try resolver.credentials(profile, searched: &searched, depth: 0)
            }
            // Last, the machine's own: a container's, then an EC2 instance's role.
            if credentials == nil, let url = MachineCredentials.containerURL(env) {
                searched.append("container credentials at \(url)")
                credentials = try MachineCredentials.container(env, fetch: fetchLocal)
            }
            if credentials == nil, let base = MachineCredentials.metadataBase(env) {
                searched.append("the EC2 instance metadata service at \(base)")
                credentials = try MachineCredentials.instanceRole(env, fetch: fetchLocal)
            }
            guard let found = credentials else { throw S3Error.noCredentials(searched: searched) }
            credentials = found
        }
        var resolved = ClientConfiguration(endpoint: endpoint, region: region ?? "us-east-1", addressing: addressing,
                                           credentials: credentials, caBundle: caBundle, profile: profile)
        resolved.connectTo = try options.connectTo.map(validateConnectTo)
        if options.readOnly { resolved.readOnly.everywhere = "--read-only" }
        return resolved
    }

    /// `HOST:PORT:ADDR:PORT` as curl's CONNECT_TO takes it; HOST or ADDR may be empty (any
    /// host; the same host), an IPv6 address goes in brackets.
    static func validateConnectTo(_ value: String) throws -> String {
        var fields: [String] = []
        var current = ""
        var inBrackets = false
        for c in value {
            if c == "[" { inBrackets = true }
            if c == "]" { inBrackets = false }
            if c == ":" && !inBrackets { fields.append(current); current = "" } else { current.append(c) }
        }
        fields.append(current)
        let portsValid = fields.count == 4 && [fields[1], fields[3]].allSatisfy { $0.isEmpty || (UInt16($0) ?? 0) > 0 }
        let printable = { (u: Unicode.Scalar) in u.value > 0x20 && u.value < 0x7F }
        guard portsValid, value.unicodeScalars.allSatisfy(printable) else {
            // Echoed with anything but printable ASCII as "?", so no control character reaches the terminal.
            let shown = String(String.UnicodeScalarView(value.unicodeScalars.map { printable($0) ? $0 : "?" }))
            throw S3Error.configuration("--connect-to \"\(shown)\" must be HOST:PORT:ADDR:PORT, "
                                        + "e.g. bucket.s3.test:80:127.0.0.1:8080")
        }
        return value
    }

    /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_SESSION_TOKEN (or its older name).
    static func environmentKeys(_ env: [String: String]) -> Credentials? {
        guard let id = nonEmpty(env["AWS_ACCESS_KEY_ID"]), let secret = nonEmpty(env["AWS_SECRET_ACCESS_KEY"]) else {
            return nil
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret,
                           sessionToken: nonEmpty(env["AWS_SESSION_TOKEN"]) ?? nonEmpty(env["AWS_SECURITY_TOKEN"]),
                           source: "environment")
    }

    private static func staticKeys(_ s: [String: String], source: String) -> Credentials? {
        guard let id = nonEmpty(s["aws_access_key_id"]), let secret = nonEmpty(s["aws_secret_access_key"]) else {
            return nil
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: nonEmpty(s["aws_session_token"]),
                           source: source)
    }

    /// The credentials of one profile, following `source_profile` chains.
    private struct ProfileResolver {
        let config: (String) -> [String: String]?
        let credentialsFile: AWSConfigFile?
        let credentialsPath: String
        let configPath: String
        let home: String
        let environment: [String: String]
        let runProcess: (String) throws -> String
        let assumeRole: (AssumeRoleRequest, Credentials?) throws -> Credentials
        let ssoSession: (String) -> [String: String]?
        let fetchSSO: CredentialFetch
        let askMFA: (String, String) -> String?
        let stsEndpoint: S3Endpoint
        let stsRegion: String
        let caBundle: String?

        func credentials(_ profile: String, searched: inout [String], depth: Int) throws -> Credentials? {
            guard depth < 5 else {
                throw S3Error.configuration("\(configPath): source_profile chain is too long or loops")
            }
            let section = config(profile) ?? [:]
            // A role comes before the profile's own keys, as in aws-cli, and a web identity
            // token named by the environment (a Kubernetes service account's) too.
            if let roleArn = nonEmpty(section["role_arn"]) {
                return try assumedRole(roleArn, profile: profile, section: section, searched: &searched, depth: depth)
            }
            if depth == 0, let tokenFile = nonEmpty(environment["AWS_WEB_IDENTITY_TOKEN_FILE"]) {
                guard let roleArn = nonEmpty(environment["AWS_ROLE_ARN"]) else {
                    throw S3Error.configuration("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: "
                                                + "name the role to assume")
                }
                let request = AssumeRoleRequest(requester: "the web identity in AWS_WEB_IDENTITY_TOKEN_FILE",
                                                roleArn: roleArn,
                                                sessionName: nonEmpty(environment["AWS_ROLE_SESSION_NAME"])
                                                    ?? defaultSessionName(),
                                                webIdentityTokenFile: tokenFile, endpoint: stsEndpoint,
                                                region: stsRegion,
                                                caBundle: caBundle)
                return try assumeRole(request, nil)
            }
            if let sso = try SSOCredentials.profile(profile, section: section, session: ssoSession,
                                                    configPath: configPath) {
                return try SSOCredentials.credentials(sso, home: home, environment: environment, now: Date(),
                                                      fetch: fetchSSO)
            }
            if let source = nonEmpty(section["source_profile"]) {
                return try credentials(source, searched: &searched, depth: depth + 1)
            }
            searched.append("profile \"\(profile)\" in \(credentialsPath)")
            if let c = ownKeys(profile, fromConfig: false) { return c }
            if let command = nonEmpty(section["credential_process"]) {
                searched.append("credential_process of profile \"\(profile)\"")
                return try processCredentials(command, profile: profile, runProcess: runProcess)
            }
            searched.append("profile \"\(profile)\" in \(configPath)")
            return ownKeys(profile, fromConfig: true)
        }

        private func ownKeys(_ profile: String, fromConfig: Bool) -> Credentials? {
            fromConfig
                ? config(profile).flatMap { staticKeys($0, source: "profile \(profile) in \(configPath)") }
                : credentialsFile?.sections[profile].flatMap {
                    staticKeys($0, source: "profile \(profile) in \(credentialsPath)")
                }
        }

        private func assumedRole(_ roleArn: String, profile: String, section: [String: String],
                                 searched: inout [String], depth: Int) throws -> Credentials {
            let name = "profile \"\(profile)\""
            var duration: Int?
            if let text = nonEmpty(section["duration_seconds"]) {
                guard let seconds = Int(text), (900...43_200).contains(seconds) else {
                    throw S3Error.configuration("\(configPath): duration_seconds of \(name) is \"\(text)\"; "
                                                + "give 900 to 43200")
                }
                duration = seconds
            }
            var request = AssumeRoleRequest(requester: name, roleArn: roleArn,
                                            sessionName: nonEmpty(section["role_session_name"]) ?? defaultSessionName(),
                                            externalId: nonEmpty(section["external_id"]), durationSeconds: duration,
                                            endpoint: stsEndpoint, region: stsRegion, caBundle: caBundle)
            if let serial = nonEmpty(section["mfa_serial"]) {
                guard let code = askMFA(serial, profile)?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
                    throw S3Error.configuration("\(name) assumes its role with an MFA code (mfa_serial) "
                                                + "and there is no terminal to ask on: "
                                                + "export temporary keys with "
                                                + "`aws configure export-credentials --profile \(profile) "
                                                + "--format env`")
                }
                request.mfaSerial = serial
                request.mfaCode = code
            }
            if let tokenFile = nonEmpty(section["web_identity_token_file"]) {
                request.webIdentityTokenFile = tokenFile
                return try assumeRole(request, nil)
            }
            let source: Credentials
            if let sourceProfile = nonEmpty(section["source_profile"]) {
                // A profile may name itself: then its own keys sign the call to STS.
                let found = sourceProfile == profile
                    ? ownKeys(profile, fromConfig: false) ?? ownKeys(profile, fromConfig: true)
                    : try credentials(sourceProfile, searched: &searched, depth: depth + 1)
                guard let found else {
                    throw S3Error.configuration("\(name) takes the keys that assume its role from profile "
                                                + "\"\(sourceProfile)\" (source_profile), which has none")
                }
                source = found
            } else if let credentialSource = nonEmpty(section["credential_source"]) {
                guard credentialSource == "Environment" else {
                    throw S3Error.configuration("\(name) has credential_source = \(credentialSource); "
                                                + "pail reads only Environment: use source_profile, or export keys")
                }
                guard let keys = environmentKeys(environment) else {
                    throw S3Error.configuration("\(name) assumes its role with keys from the environment "
                                                + "(credential_source = Environment), "
                                                + "but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
                }
                source = keys
            } else {
                throw S3Error.configuration("\(name) has role_arn but neither source_profile, credential_source "
                                            + "nor web_identity_token_file: "
                                            + "name the profile whose keys assume the role")
            }
            return try assumeRole(request, source)
        }

        private func defaultSessionName() -> String { "pail-\(Int(Date().timeIntervalSince1970))" }
    }

    /// `credential_process` prints `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
    /// "SessionToken": ..., "Expiration": ISO 8601}`.
    static func processCredentials(_ command: String, profile: String,
                                   runProcess: (String) throws -> String) throws -> Credentials {
        let output = try runProcess(command)
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
              let id = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String else {
            throw S3Error.configuration("credential_process of profile \"\(profile)\" did not print JSON "
                                        + "with AccessKeyId and SecretAccessKey")
        }
        if let version = object["Version"] as? Int, version != 1 {
            throw S3Error.configuration("credential_process of profile \"\(profile)\" printed Version \(version); "
                                        + "pail reads Version 1")
        }
        let expiration = (object["Expiration"] as? String).flatMap(Timestamps.parseISO8601)
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: object["SessionToken"] as? String,
                           expiration: expiration, source: "credential_process of profile \(profile)")
    }

    /// Asks for an MFA code on the controlling terminal, without echo (as aws-cli does); nil
    /// when there is no terminal.
    public static func askOnTerminal(_ serial: String, _ profile: String) -> String? {
        let fd = open("/dev/tty", O_RDWR)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let prompt = "MFA code for \(serial) (profile \(profile)): "
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var saved = termios()
        let canHide = tcgetattr(fd, &saved) == 0
        if canHide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSANOW, &quiet)
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != 10, byte != 13, line.count < 64 { line.append(byte) }
        if canHide { tcsetattr(fd, TCSANOW, &saved) }
        _ = write(fd, "\n", 1)
        return String(decoding: line, as: UTF8.self)
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
