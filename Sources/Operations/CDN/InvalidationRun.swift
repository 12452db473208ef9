import Foundation
import S3

/// One invalidation of targets on a bucket's CDN: the purge_command if configured, and CloudFront
/// when a distribution is given, configured, or (with `discover`) found among the account's
/// distributions. `pail invalidate`, `set-headers --invalidate` and the browser's report page
/// all run this, so the rules for finding the distribution and mapping paths live in one place.
/// It prints nothing itself: `note` gets one line per thing worth telling (without "pail: "),
/// `progress` the invalidator's waiting lines.
public struct InvalidationRun {
    public var client: S3Client
    public var bucket: String
    public var settings: BucketSettings
    public var environment: [String: String]
    /// An explicit distribution id (overrides the configuration file).
    public var distribution: String?
    /// Whether to look for the distribution among the account's when none is configured.
    public var discover: Bool
    public var wait: Bool
    /// CloudFront's transport; nil: its own curl transport, as `CloudFrontClient` makes. Tests
    /// pass a scripted one here rather than through the S3 client.
    public var cloudFrontTransport: HTTPTransport?
    /// How the invalidator waits between polls (a test answers at once).
    public var pause: (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }

    public init(
        client: S3Client, bucket: String, settings: BucketSettings, environment: [String: String],
        distribution: String?, discover: Bool, wait: Bool, cloudFrontTransport: HTTPTransport? = nil
    ) {
        self.client = client
        self.bucket = bucket
        self.settings = settings
        self.environment = environment
        self.distribution = distribution
        self.discover = discover
        self.wait = wait
        self.cloudFrontTransport = cloudFrontTransport
    }

    /// The targets for keys an operation changed: each key while there are at most `limit`,
    /// else one wildcard on their longest common prefix (compared by Unicode scalars, so by
    /// UTF-8 bytes, never cut inside a character).
    public static func targets(changed keys: [String], limit: Int = 100) -> [InvalidationTarget] {
        guard keys.count > limit, var common = keys.first.map({ Array($0.unicodeScalars) }) else {
            return keys.map { .key($0) }
        }
        for key in keys.dropFirst() {
            var n = 0
            for (a, b) in zip(common, key.unicodeScalars) {
                guard a == b else { break }
                n += 1
            }
            common.removeLast(common.count - n)
        }
        var prefix = ""
        prefix.unicodeScalars.append(contentsOf: common)
        return [.prefix(prefix)]
    }

    /// The CloudFront client this run talks through.
    public func cloudFrontClient() throws -> CloudFrontClient {
        CloudFrontClient(
            s3: client, endpoint: try CloudFrontClient.endpoint(environment: environment),
            transport: cloudFrontTransport, pause: pause)
    }

    /// The distribution that has the bucket as its one origin, or nil (none, several, or the
    /// account's distributions cannot be read): what the browser offers to invalidate.
    public func discoverDistribution() -> String? {
        guard let cloudFront = try? cloudFrontClient(), let all = try? cloudFront.listDistributions(maxPages: 10)
        else { return nil }
        let found = DistributionFinder.matches(
            bucket: bucket, cdnDomain: settings.cdnDomain, endpointHosts: endpointHosts, in: all)
        return found.count == 1 ? found[0].distribution.id : nil
    }

    public struct Outcome: Sendable, Equatable {
        /// The CloudFront distribution invalidated, nil when only the purge command ran.
        public var distribution: String?
        public var sent: [CloudFrontInvalidator.Sent]
    }

    public func run(
        targets: [InvalidationTarget], note: (String) -> Void, progress: (String) -> Void
    ) throws -> Outcome {
        if let command = settings.purgeCommand {
            try purge(command: command, targets: targets, note: note)
        }
        var id = distribution ?? settings.cloudfrontDistribution
        if id == nil && (settings.purgeCommand != nil || !discover) {
            if settings.purgeCommand == nil {
                throw S3Error.configuration(
                    "no CDN for bucket \(bucket): set cloudfront_distribution or purge_command "
                        + "under [bucket \(bucket)] in \(PailConfig.displayPath), or pass --distribution")
            }
            return Outcome(distribution: nil, sent: [])
        }
        let cloudFront = try cloudFrontClient()
        var originPath = settings.cdnOriginPath
        if id == nil {
            let found = try find(cloudFront)
            id = found.distribution.id
            if originPath == nil { originPath = found.origin?.originPath }
            note(
                "bucket \(bucket) is behind CloudFront distribution \(found.distribution.id) "
                    + "(\(TerminalSafe.escape(found.distribution.domainName)))")
        } else if originPath == nil, let id {
            // The origin path decides every CDN path: read it from the distribution when it is
            // not configured. A key allowed only to invalidate cannot read it: then none.
            do {
                let d = try cloudFront.getDistribution(id: id)
                let origin = d.origins.first {
                    DistributionFinder.isBucketOrigin($0.domainName, bucket: bucket, endpointHosts: endpointHosts)
                }
                originPath = origin?.originPath
            } catch let error as S3Error where error.serviceCode == "NoSuchDistribution" {
                throw error
            } catch {
                note(
                    "warning: cannot read distribution \(id) to learn its origin path "
                        + "(\(TerminalSafe.escape(String(describing: error)))); "
                        + "paths are mapped as if it had none: set cdn_origin_path if it has one")
            }
        }
        guard let id else { return Outcome(distribution: nil, sent: []) }
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
            note(
                "\(outside) target\(outside == 1 ? " is" : "s are") outside the CDN's origin path "
                    + "\(TerminalSafe.escape(origin)) and not served by it: skipped")
        }
        guard !paths.isEmpty else {
            throw S3Error.configuration(
                "nothing to invalidate on distribution \(id): every target is outside its origin path "
                    + TerminalSafe.escape(origin))
        }
        let invalidator = CloudFrontInvalidator(client: cloudFront)
        invalidator.pause = pause
        let sent = try invalidator.run(distribution: id, paths: paths, wait: wait, progress: progress)
        return Outcome(distribution: id, sent: sent)
    }

    private var endpointHosts: [String] {
        client.config.endpoint.isDefaultAWS ? [] : [client.config.endpoint.host]
    }

    private func find(_ cloudFront: CloudFrontClient) throws -> DistributionFinder.Match {
        let all = try cloudFront.listDistributions()
        let found = DistributionFinder.matches(
            bucket: bucket, cdnDomain: settings.cdnDomain, endpointHosts: endpointHosts, in: all)
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
    private func purge(command: String, targets: [InvalidationTarget], note: (String) -> Void) throws {
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
            note("\(skipped) target\(skipped == 1 ? " is" : "s are") outside cdn_origin_path: not purged")
        }
        guard !list.isEmpty else { return }
        try PurgeCommand(parsing: command).run(urls: list)
        note("purge_command ran for \(list.count) URL\(list.count == 1 ? "" : "s")")
    }
}
