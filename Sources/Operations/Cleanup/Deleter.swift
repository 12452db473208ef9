import Foundation
import S3

/// Deletes objects safely (S3 rules 7-10): a listed plan first (or, once confirmed, each
/// listed page), a manifest on disk, then DeleteObjects in batches of 1000 with several
/// batches in flight.
public final class Deleter: @unchecked Sendable {
    public let client: S3Client
    public let parallelism: Int
    public static let batchSize = 1000

    public init(client: S3Client, parallelism: Int = 10) {
        self.client = client
        self.parallelism = parallelism
    }

    /// Lists what `keys` (objects) and `prefixes` (recursive) cover. A prefix is always taken
    /// up to a "/" so `media/2023` never reaches `media/2023-old/` (rule 8).
    public func plan(bucket: String, keys: [String], prefixes: [String], cancel: CancellationFlag? = nil,
                     listed: ([ObjectSummary]) -> Void = { _ in }) throws -> DeletePlan {
        var items: [DeletePlan.Item] = []
        var seen = Set<ObjectKey>()
        for key in keys {
            let head = try client.headObject(bucket: bucket, key: key)
            if seen.insert(ObjectKey(key)).inserted {
                items.append(.init(key: key, size: head.size, etag: head.etag, lastModified: head.lastModified,
                                   versionId: head.versionId))
            }
        }
        var bounded: [String] = []
        for p in prefixes {
            let prefix = S3URI.boundedPrefix(p)
            bounded.append(prefix)
            try client.listAllPages(bucket: bucket, prefix: prefix, cancel: cancel) { page in
                listed(page.objects)
                for o in page.objects where seen.insert(o.objectKey).inserted {
                    items.append(.init(key: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified,
                                       versionId: nil))
                }
                return true
            }
        }
        let versioning = try? client.getBucketVersioning(bucket: bucket)
        return DeletePlan(bucket: bucket, items: items, prefixes: bounded, versioning: versioning ?? nil)
    }

    /// `plan` with the plan on disk (`DeleteSpool`): only the first `shown` items stay in
    /// memory, for the confirmation, whatever the size of the prefixes.
    public func spooledPlan(bucket: String, keys: [String], prefixes: [String], shown: Int = 5,
                            cancel: CancellationFlag? = nil,
                            listed: ([ObjectSummary]) -> Void = { _ in }) throws -> DeletePlan {
        let spool = try DeleteSpool()
        var first: [DeletePlan.Item] = []
        var seenKeys = Set<ObjectKey>()
        func add(_ item: DeletePlan.Item) throws {
            try spool.append(item)
            if first.count < shown { first.append(item) }
        }
        for key in keys {
            let head = try client.headObject(bucket: bucket, key: key)
            if seenKeys.insert(ObjectKey(key)).inserted {
                try add(.init(key: key, size: head.size, etag: head.etag, lastModified: head.lastModified,
                              versionId: head.versionId))
            }
        }
        // One prefix inside another is listed once, so no key is planned twice without a set
        // of every key listed.
        let outermost = Self.outermost(prefixes)
        for prefix in outermost {
            try client.listAllPages(bucket: bucket, prefix: prefix, cancel: cancel) { page in
                listed(page.objects)
                for o in page.objects where !seenKeys.contains(o.objectKey) {
                    try add(.init(key: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified,
                                  versionId: nil))
                }
                return true
            }
        }
        let versioning = try? client.getBucketVersioning(bucket: bucket)
        var plan = DeletePlan(bucket: bucket, items: first, prefixes: prefixes.map(S3URI.boundedPrefix),
                              versioning: versioning ?? nil)
        plan.spool = spool
        return plan
    }

    /// The prefixes bounded by a "/" (`S3URI.boundedPrefix`), without those under another: each key is
    /// listed once, and nothing outside the prefixes as given (compared as bytes).
    static func outermost(_ prefixes: [String]) -> [String] {
        let bounded = Set(prefixes.map { ObjectKey(S3URI.boundedPrefix($0)) })
        return bounded.filter { p in !bounded.contains { $0 != p && p.string.hasBytePrefix($0.string) } }
            .sorted().map(\.string)
    }

    /// Whether a key read back from a spooled plan is one the plan was made of: under one
    /// of its prefixes or one of its keys.
    static func allows(_ plan: DeletePlan, keys: Set<ObjectKey>) -> (String) -> Bool {
        { key in keys.contains(ObjectKey(key)) || plan.prefixes.contains { key.hasBytePrefix($0) } }
    }

    /// The pages of a spooled plan of prefixes, read back and checked (a dry run's listing).
    public func forEachSpooled(_ plan: DeletePlan, _ page: ([DeletePlan.Item]) throws -> Void) throws {
        try plan.spool?.pages(allowed: Self.allows(plan, keys: []), page)
    }

    /// Writes the plan as JSON Lines under the state directory; returns the file's path.
    /// `keys`: the objects named one by one when the plan was made (a spooled plan's check).
    public func writeManifest(_ plan: DeletePlan, keys: [String] = [],
                              environment env: [String: String]) throws -> String {
        let manifest = try DeleteManifest(bucket: plan.bucket, environment: env)
        if let spool = plan.spool {
            try spool.pages(allowed: Self.allows(plan, keys: Set(keys.map(ObjectKey.init)))) {
                try manifest.append($0)
            }
        } else {
            try manifest.append(plan.items)
        }
        return manifest.path
    }

    /// Deletes everything in the plan. Keys with control characters go one by one.
    public func execute(_ plan: DeletePlan, cancel: CancellationFlag? = nil,
                        progress: ((_ done: Int, _ failed: Int) -> Void)? = nil) -> DeleteOutcome {
        let runner = DeleteRunner(client: client, bucket: plan.bucket, parallelism: parallelism, cancel: cancel,
                                  progress: progress)
        runner.submit(plan.items)
        return runner.finish()
    }

    /// `execute` for a spooled plan, read back a page at a time and checked first
    /// (`DeleteSpool.pages`): a plan that changed on disk deletes nothing more, and the error
    /// is thrown with what was deleted before it. `keys`: the objects the plan named one by one.
    public func executeSpooled(_ plan: DeletePlan, keys: [String], cancel: CancellationFlag? = nil,
                               progress: ((_ done: Int, _ failed: Int) -> Void)? = nil)
        throws -> DeleteOutcome {
        guard let spool = plan.spool else { return execute(plan, cancel: cancel, progress: progress) }
        let runner = DeleteRunner(client: client, bucket: plan.bucket, parallelism: parallelism, cancel: cancel,
                                  progress: progress)
        do {
            try spool.pages(allowed: Self.allows(plan, keys: Set(keys.map(ObjectKey.init)))) { runner.submit($0) }
        } catch {
            _ = runner.finish()
            throw error
        }
        return runner.finish()
    }

    /// What `deleteStreaming` did.
    public struct StreamedDelete: Sendable {
        public var outcome: DeleteOutcome
        public var listed: Int
        public var bytes: Int64
        public var manifest: String
        public var versioning: String?
        /// The listing stopped part way (what was listed before it was still deleted).
        public var listingError: String?
        public var addsDeleteMarkers: Bool { DeletePlan.addsDeleteMarkers(versioning: versioning) }
    }

    /// For a delete already confirmed (`rm -r --yes`): each listed page is deleted while the
    /// next one is listed, so a large prefix starts going at once and memory stays a few
    /// pages. Every page is written to the manifest before its batch is sent. Prefixes are
    /// taken up to a "/" (rule 8), and one inside another is listed once.
    public func deleteStreaming(bucket: String, prefixes: [String], environment env: [String: String],
                                cancel: CancellationFlag? = nil,
                                progress: ((_ done: Int, _ failed: Int, _ listed: Int) -> Void)? = nil)
        throws -> StreamedDelete {
        let outermost = Self.outermost(prefixes)
        let versioning = (try? client.getBucketVersioning(bucket: bucket)) ?? nil
        let manifest = try DeleteManifest(bucket: bucket, environment: env)
        let counts = NSLock()
        var listed = 0
        var bytes: Int64 = 0
        let runner = DeleteRunner(client: client, bucket: bucket, parallelism: parallelism,
                                  cancel: cancel) { done, failed in
            progress?(done, failed, counts.withLock { listed })
        }
        var listingError: String?
        do {
            for prefix in outermost {
                try client.listAllPages(bucket: bucket, prefix: prefix, cancel: cancel) { page in
                    let items = page.objects.map {
                        DeletePlan.Item(key: $0.key, size: $0.size, etag: $0.etag, lastModified: $0.lastModified,
                                        versionId: nil)
                    }
                    try manifest.append(items)
                    counts.withLock {
                        listed += items.count
                        bytes += items.reduce(0) { $0 + $1.size }
                    }
                    runner.submit(items)
                    return true
                }
            }
        } catch {
            listingError = (error as? S3Error)?.description ?? String(describing: error)
        }
        let outcome = runner.finish()
        if listed == 0 { manifest.discard() }
        return StreamedDelete(outcome: outcome, listed: listed, bytes: bytes, manifest: manifest.path,
                              versioning: versioning, listingError: listingError)
    }
}
