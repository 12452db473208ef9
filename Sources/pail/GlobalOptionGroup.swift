import ArgumentParser
import CBuildInfo
import Foundation
import Operations
import S3

/// Options every subcommand takes (`../shared/design.md`).
struct GlobalOptionGroup: ParsableArguments {
    @Option(name: .long, help: "Use this profile from ~/.aws/credentials and ~/.aws/config.")
    var profile: String?

    @Option(name: .customLong("endpoint-url"),
            help: "S3 endpoint, e.g. http://127.0.0.1:8333 (MinIO, SeaweedFS, R2, Spaces).")
    var endpointURL: String?

    @Option(name: .long, help: "Region to sign for (default from the environment or profile, else us-east-1).")
    var region: String?

    @Flag(name: .customLong("path-style"), help: "Address buckets as https://host/bucket/key.")
    var pathStyle = false

    @Flag(name: .customLong("virtual-host"), help: "Address buckets as https://bucket.host/key.")
    var virtualHost = false

    @Flag(name: .customLong("no-sign-request"), help: "Send unsigned requests (public buckets).")
    var noSignRequest = false

    @Option(name: .customLong("debug"), help: "Log every request (never a secret) to this file.")
    var debugFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "Seconds a listing, HEAD or other small request may take (default 30, or PAIL_TIMEOUT).", valueName: "seconds"))
    var timeout: Int?

    @Option(name: .customLong("connect-to"),
            help: ArgumentHelp("HOST:PORT:ADDR:PORT: connect to ADDR:PORT for requests to HOST:PORT, "
                               + "as curl's --connect-to (repeatable)."))
    var connectTo: [String] = []

    @Flag(name: .customLong("read-only"),
          help: ArgumentHelp("Send nothing but GET and HEAD: every command and key that writes is refused "
                             + "(also read_only in pail's configuration file)."))
    var readOnly = false

    func validate() throws {
        if pathStyle && virtualHost { throw ValidationError("--path-style and --virtual-host exclude each other") }
        if let timeout, !(1...3600).contains(timeout) { throw ValidationError("--timeout takes 1 to 3600 seconds") }
    }

    /// `--timeout`, else `PAIL_TIMEOUT`, else 30 s.
    func requestTimeout(_ env: [String: String]) throws -> Int {
        if let timeout { return timeout }
        guard let text = env["PAIL_TIMEOUT"], !text.isEmpty else { return 30 }
        guard let seconds = Int(text), (1...3600).contains(seconds) else {
            throw S3Error.configuration("PAIL_TIMEOUT=\(text) must be a number of seconds from 1 to 3600")
        }
        return seconds
    }

    /// `requireCredentials: false` lets commands that need no S3 call (`url`) run without keys.
    func makeClient(requireCredentials: Bool = true) throws -> S3Client {
        var options = GlobalOptions()
        options.profile = profile
        options.endpointURL = endpointURL
        options.region = region
        options.addressing = pathStyle ? .path : (virtualHost ? .virtual : nil)
        options.noSignRequest = noSignRequest
        options.connectTo = connectTo
        options.readOnly = readOnly
        let config: ClientConfiguration
        // Through the profile catalog: a [profile NAME] of pail's own file is a profile too.
        let own = PailConfig.load(environment: ProcessInfo.processInfo.environment).0
        func resolve() throws -> ClientConfiguration {
            try ProfileCatalog.resolve(options, environment: ProcessInfo.processInfo.environment, pailConfig: own,
                                       askMFA: ClientConfiguration.askOnTerminal)
        }
        do {
            config = try resolve()
        } catch S3Error.noCredentials where !requireCredentials {
            options.noSignRequest = true
            config = try resolve()
        }
        var timed = config
        timed.requestTimeout = try requestTimeout(ProcessInfo.processInfo.environment)
        // read_only from pail's configuration file (a profile's, a bucket's) joins --read-only.
        let environment = ProcessInfo.processInfo.environment
        let (pailConfig, unreadable) = PailConfig.load(environment: environment)
        var policy = pailConfig.readOnlyPolicy(profile: config.profile)
        // A file pail cannot read is skipped, with a warning; a read_only in it must not be:
        // while it is broken, every write is refused.
        let path = environment["PAIL_CONFIG"] ?? PailConfig.defaultPath(environment: environment)
        if unreadable != nil, let text = try? String(contentsOfFile: path, encoding: .utf8),
           text.contains("read_only") {
            policy.everywhere = "read_only from \(path), or fix the error in that file,"
        }
        timed.readOnly.everywhere = timed.readOnly.everywhere ?? policy.everywhere
        timed.readOnly.buckets.merge(policy.buckets) { first, _ in first }
        let client = S3Client(config: timed)
        // What pail ignored in a server's answer (keys outside a listing's prefix, ...): one
        // line each on stderr; the browser shows them on its status line instead.
        client.warn = { line in StandardError.write("pail: warning: \(TerminalSafe.escape(line))\n") }
        if config.credentials?.expiration != nil {
            // A role's or a credential_process's keys: resolved again, the same way, when they run out.
            let resolvedOptions = options
            // No MFA prompt then: the browser may own the terminal. A role behind MFA lasts
            // its session (duration_seconds), as with aws-cli.
            client.refreshCredentials = {
                try ProfileCatalog.resolve(resolvedOptions, environment: ProcessInfo.processInfo.environment,
                                           pailConfig: own, askMFA: { _, _ in nil }).credentials
            }
        }
        if let debugFile {
            let handle = try DebugLog.create(debugFile)
            let lock = NSLock()
            let source = config.credentials?.source ?? "none (unsigned)"
            handle.write(Data(("pail \(Pail.configuration.version): endpoint \(config.endpoint.display), "
                               + "region \(config.region), credentials from \(source)\n").utf8))
            client.log = { line in
                lock.withLock {
                    handle.write(Data((Timestamps.formatISO8601(Date()) + " " + TerminalSafe.escape(line) + "\n").utf8))
                }
            }
        }
        return client
    }
}
