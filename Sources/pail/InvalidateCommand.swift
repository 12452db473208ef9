import ArgumentParser
import Foundation
import Operations
import S3

struct InvalidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invalidate",
        abstract: "Invalidate keys and prefixes on the bucket's CDN (CloudFront, or the configured purge_command).",
        discussion: """
            A target ending in "/" (or the bare bucket) is a prefix and becomes one wildcard path. Paths are mapped \
            through the CDN's origin path. The distribution is --distribution, else cloudfront_distribution in \
            the configuration file, else the one whose origin is the bucket. CloudFront is \
            https://cloudfront.amazonaws.com unless AWS_ENDPOINT_URL_CLOUDFRONT (or AWS_ENDPOINT_URL) names another.
            """)

    @OptionGroup var global: GlobalOptionGroup

    @Option(help: ArgumentHelp("The CloudFront distribution id (overrides the configuration file).", valueName: "id"))
    var distribution: String?

    @Flag(name: .customLong("no-wait"), help: "Print the invalidation id without waiting for it to complete.")
    var noWait = false

    @Flag(help: "One JSON object per invalidation: distribution, invalidation_id, status, paths.")
    var json = false

    @Argument(help: "s3://bucket/key, or s3://bucket/prefix/ (all of one bucket)")
    var targets: [String]

    func validate() throws {
        if targets.isEmpty { throw ValidationError("name at least one s3://bucket/key or s3://bucket/prefix/") }
        if let distribution, !CloudFrontDistribution.isValidId(distribution) {
            throw ValidationError("--distribution takes an id of upper-case letters and digits, like E2QWRUHAPOMQZL")
        }
    }

    func run() throws {
        try runReportingErrors {
            let uris = try targets.map { try S3URI(parsing: $0) }
            let bucket = uris[0].bucket
            guard uris.allSatisfy({ $0.bucket == bucket }) else {
                throw S3Error.configuration("invalidate takes targets of one bucket at a time")
            }
            let client = try global.makeClient()
            let list = uris.map {
                $0.key.isEmpty || $0.key.hasByteSuffix("/") ? InvalidationTarget.prefix($0.key) : .key($0.key)
            }
            try Self.invalidate(
                client: client, bucket: bucket, targets: list, distribution: distribution,
                wait: !noWait, json: json, discover: true)
        }
    }

    /// Invalidates `targets` on the bucket's CDN (see `InvalidationRun`) and prints the ids.
    /// `set-headers --invalidate` calls this too (and `cp` and `sync` may: pass the keys they
    /// wrote as `.key`).
    static func invalidate(
        client: S3Client, bucket: String, targets: [InvalidationTarget], distribution: String?,
        wait: Bool, json: Bool, discover: Bool
    ) throws {
        let environment = ProcessInfo.processInfo.environment
        let (config, warning) = PailConfig.load(environment: environment)
        if let warning { StandardError.write("pail: \(warning)\n") }
        let run = InvalidationRun(
            client: client, bucket: bucket, settings: config.settings(for: bucket), environment: environment,
            distribution: distribution, discover: discover, wait: wait)
        let terminal = StandardError.isTerminal
        let outcome = try run.run(
            targets: targets,
            note: { StandardError.write("pail: " + $0 + "\n") },
            progress: { line in
                StandardError.write(terminal ? "\r\u{1B}[K" + line : line + "\n")
            })
        guard let id = outcome.distribution else { return }
        if terminal { StandardError.write("\n") }
        for s in outcome.sent {
            if json {
                var w = JSONWriter()
                w.field("distribution", id)
                w.field("invalidation_id", s.invalidation.id)
                w.field("status", s.invalidation.status)
                w.field("paths", Int64(s.paths.count))
                StandardOutput.shared.write(w.line)
            } else {
                StandardOutput.shared.write(s.invalidation.id + "\n")
            }
        }
    }
}
