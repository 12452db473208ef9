import Browser
import Foundation
import Operations
import S3

/// The report's `i`: invalidating what a header edit changed on the bucket's CDN, through the
/// same `InvalidationRun` as `pail invalidate` (the purge_command, the configured or found
/// CloudFront distribution, paths mapped through the origin path, batches, waiting).
extension BrowserSession {
    func performInvalidation(_ effect: BrowserEffect) {
        guard case .invalidate(let id, let offer) = effect else { return }
        let client = self.client
        // Waiting for CloudFront takes minutes of sleeps between polls: on a pool of its own,
        // not on the operations' (four threads: four waits would hold every delete and edit)
        // nor on the pools that list and HEAD for the screen.
        invalidations.submit { [self] in
            var run = InvalidationRun(
                client: client, bucket: offer.bucket, settings: config.settings(for: offer.bucket),
                environment: environment, distribution: offer.distribution, discover: true, wait: true,
                cloudFrontTransport: io.cloudFrontTransport())
            run.pause = io.pause
            var notes: [String] = []
            do {
                let outcome = try run.run(
                    targets: offer.targets,
                    note: { line in
                        notes.append(line)
                        queue.post(.invalidationProgress(id: id, line))
                    },
                    progress: { queue.post(.invalidationProgress(id: id, $0)) })
                var lines = notes
                if let distribution = outcome.distribution {
                    for sent in outcome.sent {
                        lines.append(
                            "invalidation \(sent.invalidation.id) on \(distribution): "
                                + "\(Formatting.things(sent.paths.count, "path")), \(sent.invalidation.status)")
                    }
                }
                queue.post(.invalidated(id: id, .success(lines)))
            } catch {
                queue.post(.invalidated(id: id, .failure(BrowserError(describe(error)))))
            }
        }
    }

    /// What the report of a header edit offers to invalidate, or nil: nothing changed, or the
    /// bucket has no CDN (no cloudfront_distribution or purge_command in the configuration
    /// file, and no CloudFront distribution found with the bucket as its origin). Looking for
    /// one asks CloudFront only where there is one to ask: on AWS, or with a CloudFront endpoint
    /// set (`AWS_ENDPOINT_URL_CLOUDFRONT`); a MinIO or a Spaces endpoint has none.
    static func invalidationOffer(
        client: S3Client, settings: BucketSettings, environment: [String: String], bucket: String,
        changed: [String]
    ) -> InvalidationOffer? {
        guard !changed.isEmpty else { return nil }
        let targets = InvalidationRun.targets(changed: changed)
        func offer(_ cdn: String, _ distribution: String? = nil) -> InvalidationOffer {
            InvalidationOffer(bucket: bucket, targets: targets, changed: changed.count, cdn: cdn,
                              distribution: distribution)
        }
        if let id = settings.cloudfrontDistribution {
            let also = settings.purgeCommand == nil ? "" : " and purge_command"
            return offer("CloudFront distribution \(TerminalSafe.escape(id))\(also)")
        }
        if settings.purgeCommand != nil { return offer("purge_command") }
        let cloudFrontSet = !(environment["AWS_ENDPOINT_URL_CLOUDFRONT"] ?? "").isEmpty
        guard cloudFrontSet || client.config.endpoint.isDefaultAWS else { return nil }
        let run = InvalidationRun(
            client: client, bucket: bucket, settings: settings, environment: environment, distribution: nil,
            discover: true, wait: false)
        guard let id = run.discoverDistribution() else { return nil }
        return offer("CloudFront distribution \(TerminalSafe.escape(id))", id)
    }
}
