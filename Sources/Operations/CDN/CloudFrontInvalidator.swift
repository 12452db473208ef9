import Foundation
import S3

/// Sends the invalidations for a set of CloudFront paths, one batch after the other, and
/// waits for them. A batch goes only when the one before it has completed (CloudFront's
/// limits count the paths in progress); when CloudFront says too many are in progress (other
/// deploys), pail waits and sends again, with the same CallerReference, so a retry after a
/// lost answer never creates a second invalidation.
public final class CloudFrontInvalidator {
    let client: CloudFrontClient
    public var pause: (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }
    public var now: () -> Date = Date.init
    /// How long one invalidation (or a wait for room) may take before pail gives up waiting.
    public var maxWait: TimeInterval = 1800
    public var makeReference: (Int) -> String = { "pail-\(UUID().uuidString.lowercased())-\($0)" }

    public init(client: CloudFrontClient) { self.client = client }

    public struct Sent: Sendable, Equatable {
        public var invalidation: CloudFrontInvalidation
        public var paths: [String]
    }

    /// `wait: false` still waits between batches, but not for the last one.
    public func run(distribution: String, paths: [String], wait: Bool, progress: (String) -> Void) throws -> [Sent] {
        let batches = Invalidation.batches(paths)
        var sent: [Sent] = []
        for (i, batch) in batches.enumerated() {
            let reference = makeReference(i)
            let invalidation = try create(
                distribution: distribution, paths: batch, reference: reference, progress: progress)
            let what = batches.count > 1 ? " (\(i + 1) of \(batches.count))" : ""
            progress(
                "invalidation \(invalidation.id) on \(distribution)\(what): "
                    + "\(batch.count) path\(batch.count == 1 ? "" : "s"), "
                    + invalidation.status)
            var done = invalidation
            if wait || i < batches.count - 1 {
                done = try waitFor(distribution: distribution, invalidation: invalidation, progress: progress)
            }
            sent.append(Sent(invalidation: done, paths: batch))
        }
        return sent
    }

    private func create(
        distribution: String, paths: [String], reference: String,
        progress: (String) -> Void
    ) throws -> CloudFrontInvalidation {
        let start = now()
        var delay: TimeInterval = 10
        while true {
            do {
                return try client.createInvalidation(
                    distribution: distribution, paths: paths, callerReference: reference)
            } catch let error as S3Error where error.serviceCode == "TooManyInvalidationsInProgress" {
                let waited = now().timeIntervalSince(start)
                guard waited < maxWait else {
                    throw S3Error.configuration(
                        "CloudFront distribution \(distribution) still has too many invalidations in "
                            + "progress after \(Int(waited)) s; try again later")
                }
                progress(
                    "CloudFront distribution \(distribution) has too many invalidations in progress; "
                        + "waiting (\(Int(waited)) s)"
                )
                pause(delay)
                delay = min(60, delay * 1.5)
            }
        }
    }

    private func waitFor(
        distribution: String, invalidation: CloudFrontInvalidation,
        progress: (String) -> Void
    ) throws -> CloudFrontInvalidation {
        var current = invalidation
        let start = now()
        var delay: TimeInterval = 2
        while !current.isCompleted {
            let waited = now().timeIntervalSince(start)
            guard waited < maxWait else {
                throw S3Error.configuration(
                    "invalidation \(current.id) on \(distribution) is still \(current.status) after "
                        + "\(Int(waited)) s; it goes on without pail")
            }
            pause(delay)
            delay = min(15, delay * 1.5)
            current = try client.getInvalidation(distribution: distribution, id: invalidation.id)
            progress(
                "invalidation \(current.id) on \(distribution): \(current.status) "
                    + "(\(Int(now().timeIntervalSince(start))) s)"
            )
        }
        return current
    }
}
