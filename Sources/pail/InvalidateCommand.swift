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

    /// Invalidates `targets` on the bucket's CDN: the purge_command if configured, and
    /// CloudFront when a distribution is given, configured, or (with `discover`) found among
    /// the account's distributions. `set-headers --invalidate` calls this too (and `cp` and
    /// `sync` may: pass the keys they wrote as `.key`).
    static func invalidate(
        client: S3Client, bucket: String, targets: [InvalidationTarget], distribution: String?,
        wait: Bool, json: Bool, discover: Bool
    ) throws {
        let environment = ProcessInfo.processInfo.environment
        let (config, warning) = PailConfig.load(environment: environment)
        if let warning { StandardError.write("pail: \(warning)\n") }
        let settings = config.settings(for: bucket)
        if let command = settings.purgeCommand {
            try purge(command: command, client: client, bucket: bucket, settings: settings, targets: targets)
        }
        var id = distribution ?? settings.cloudfrontDistribution
        if id == nil && (settings.purgeCommand != nil || !discover) {
            if settings.purgeCommand == nil {
                throw S3Error.configuration(
                    "no CDN for bucket \(bucket): set cloudfront_distribution or purge_command "
                        + "under [bucket \(bucket)] in \(PailConfig.displayPath), or pass --distribution")
            }
            return
        }
        let cloudFront = CloudFrontClient(s3: client, endpoint: try CloudFrontClient.endpoint(environment: environment))
        var originPath = settings.cdnOriginPath
        if id == nil {
            let found = try find(cloudFront, client: client, bucket: bucket, settings: settings)
            id = found.distribution.id
            if originPath == nil { originPath = found.origin?.originPath }
            StandardError.write(
                "pail: bucket \(bucket) is behind CloudFront distribution \(found.distribution.id) "
                    + "(\(TerminalSafe.escape(found.distribution.domainName)))\n")
        } else if originPath == nil, let id {
            // The origin path decides every CDN path: read it from the distribution when it is
            // not configured. A key allowed only to invalidate cannot read it: then none.
            do {
                let d = try cloudFront.getDistribution(id: id)
                let origin = d.origins.first {
                    DistributionFinder.isBucketOrigin(
                        $0.domainName, bucket: bucket, endpointHosts: endpointHosts(client))
                }
                originPath = origin?.originPath
            } catch let error as S3Error where error.serviceCode == "NoSuchDistribution" {
                throw error
            } catch {
                StandardError.write(
                    "pail: warning: cannot read distribution \(id) to learn its origin path "
                        + "(\(TerminalSafe.escape(String(describing: error)))); "
                        + "paths are mapped as if it had none: set cdn_origin_path if it has one\n")
            }
        }
        guard let id else { return }
        let origin = Invalidation.normalizedOriginPath(originPath)
        var paths: [String] = []
        var outside = 0
        for target in targets {
            if let path = try Invalidation.path(for: target, originPath: origin) {
                paths.append(path)
            } else {
                outside += 1
            }
        }
        if outside > 0 {
            StandardError.write(
                "pail: \(outside) target\(outside == 1 ? " is" : "s are") outside the CDN's origin path "
                    + "\(TerminalSafe.escape(origin)) and not served by it: skipped\n")
        }
        guard !paths.isEmpty else {
            throw S3Error.configuration(
                "nothing to invalidate on distribution \(id): every target is outside its origin path "
                    + TerminalSafe.escape(origin))
        }
        let invalidator = CloudFrontInvalidator(client: cloudFront)
        let terminal = StandardError.isTerminal
        let sent = try invalidator.run(distribution: id, paths: paths, wait: wait) { line in
            StandardError.write(terminal ? "\r\u{1B}[K" + line : line + "\n")
        }
        if terminal { StandardError.write("\n") }
        for s in sent {
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

    private static func endpointHosts(_ client: S3Client) -> [String] {
        client.config.endpoint.isDefaultAWS ? [] : [client.config.endpoint.host]
    }

    private static func find(
        _ cloudFront: CloudFrontClient, client: S3Client, bucket: String,
        settings: BucketSettings
    ) throws -> DistributionFinder.Match {
        let all = try cloudFront.listDistributions()
        let found = DistributionFinder.matches(
            bucket: bucket, cdnDomain: settings.cdnDomain,
            endpointHosts: endpointHosts(client), in: all)
        guard !found.isEmpty else {
            throw S3Error.configuration(
                "no CloudFront distribution has bucket \(bucket) as an origin; pass --distribution ID "
                    + "or set cloudfront_distribution under [bucket \(bucket)] in \(PailConfig.displayPath)")
        }
        guard found.count == 1 else {
            let ids = found.map(\.distribution.id).joined(separator: ", ")
            throw S3Error.configuration(
                "bucket \(bucket) is an origin of several CloudFront distributions (\(ids)): "
                    + "pass --distribution ID or set cloudfront_distribution")
        }
        return found[0]
    }

    /// The configured purge command, run with the CDN URLs of the targets.
    private static func purge(
        command: String, client: S3Client, bucket: String, settings: BucketSettings,
        targets: [InvalidationTarget]
    ) throws {
        let urls = ObjectURLs(client: client, settings: settings)
        var list: [String] = []
        var skipped = 0
        for target in targets {
            do {
                switch target {
                case .key(let key): list.append(try urls.cdnURL(bucket: bucket, key: key))
                case .prefix(let prefix):
                    let origin = settings.cdnOriginPath ?? ""
                    // A prefix above the origin path is all the CDN serves.
                    let inside = prefix.hasBytePrefix(origin) ? prefix : origin.hasBytePrefix(prefix) ? origin : nil
                    guard let inside else { skipped += 1; continue }
                    list.append(try urls.cdnURL(bucket: bucket, key: inside) + "*")
                }
            } catch {
                if settings.cdnDomain == nil { throw error }
                skipped += 1
            }
        }
        if skipped > 0 {
            StandardError.write(
                "pail: \(skipped) target\(skipped == 1 ? " is" : "s are") outside cdn_origin_path: not purged\n")
        }
        guard !list.isEmpty else { return }
        try PurgeCommand(parsing: command).run(urls: list)
        StandardError.write("pail: purge_command ran for \(list.count) URL\(list.count == 1 ? "" : "s")\n")
    }
}
