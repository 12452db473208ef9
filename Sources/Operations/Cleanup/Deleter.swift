import Foundation
import S3

/// What a delete will remove, listed before anything is removed.
public struct DeletePlan: Sendable {
    public struct Item: Sendable, Equatable {
        public var key: String
        public var size: Int64
        public var etag: String
        public var lastModified: Date?
        public var versionId: String?
    }

    public var bucket: String
    /// Every object of the plan; for a spooled plan only the first few (shown), the rest
    /// are in `spool`.
    public var items: [Item]
    /// The whole plan on disk (`rm` of a prefix of any size), or nil when `items` is all.
    public var spool: DeleteSpool?
    /// The prefix being deleted recursively, if the plan came from one (always ends in "/").
    public var prefixes: [String]
    /// The bucket's versioning status: with "Enabled" a plain delete only adds delete markers.
    public var versioning: String?

    public init(bucket: String, items: [Item], prefixes: [String], versioning: String?) {
        self.bucket = bucket
        self.items = items
        self.prefixes = prefixes
        self.versioning = versioning
    }

    /// Objects in the plan.
    public var count: Int { spool?.count ?? items.count }
    public var totalBytes: Int64 { spool?.bytes ?? items.reduce(0) { $0 + $1.size } }
    public var addsDeleteMarkers: Bool { Self.addsDeleteMarkers(versioning: versioning) }

    /// On a bucket with versioning on (or once on), a plain delete only adds delete markers.
    public static func addsDeleteMarkers(versioning: String?) -> Bool {
        versioning == "Enabled" || versioning == "Suspended"
    }

    /// Whether the person must type the prefix or the count to confirm (not just "y").
    public var needsTypedConfirmation: Bool { !prefixes.isEmpty || count > 100 }

    /// What must be typed: the prefix for one prefix, otherwise the count.
    public var confirmationWord: String {
        prefixes.count == 1 ? "s3://\(bucket)/\(prefixes[0])" : String(count)
    }

    /// A short description for the confirmation: count, size, the first keys, versioning.
    public func summary(firstKeys n: Int = 5) -> [String] {
        var lines = ["\(count) object\(count == 1 ? "" : "s"), \(ByteCount.format(totalBytes)), "
                     + "in s3://\(bucket)/"]
        for item in items.prefix(n) { lines.append("  " + TerminalSafe.escape(item.key)) }
        if count > n { lines.append("  … and \(count - n) more") }
        if addsDeleteMarkers {
            lines.append("versioning is \(versioning!.lowercased()) on this bucket: "
                         + "the delete only adds delete markers; the data stays in older versions")
        }
        return lines
    }
}

public struct DeleteOutcome: Sendable {
    public var deleted: Int
    public var failures: [S3Client.DeleteFailure]
}

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
        let bounded = Set(prefixes.map { ObjectKey(S3URI.boundedPrefix($0)) })
        let outermost = bounded.filter { p in !bounded.contains { $0 != p && p.string.hasBytePrefix($0.string) } }
            .sorted().map(\.string)
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
        let bounded = Set(prefixes.map { ObjectKey(S3URI.boundedPrefix($0)) })
        let outermost = bounded.filter { p in !bounded.contains { $0 != p && p.string.hasBytePrefix($0.string) } }
            .sorted().map(\.string)
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

/// The record of a delete, as JSON Lines under `$XDG_STATE_HOME/pail/deletions` (mode 600),
/// written before the objects it names are deleted.
final class DeleteManifest {
    let path: String
    let bucket: String
    private let handle: FileHandle

    init(bucket: String, environment env: [String: String]) throws {
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        let dir = base + "/pail/deletions"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let stamp = Timestamps.formatISO8601(Date()).replacingOccurrences(of: ":", with: "")
        path = "\(dir)/\(stamp)-\(bucket)-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        self.bucket = bucket
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw S3Error.local("cannot write the deletion manifest \(path)")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func append(_ items: [DeletePlan.Item]) throws {
        var text = ""
        for item in items {
            var j = JSONWriter()
            j.field("bucket", bucket)
            j.field("key", item.key)
            j.field("size", item.size)
            j.field("etag", item.etag)
            j.field("last_modified", item.lastModified.map(Timestamps.formatISO8601))
            j.field("version_id", item.versionId)
            text += j.line
        }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw S3Error.local("cannot write the deletion manifest \(path): \(error.localizedDescription)")
        }
    }

    /// An empty manifest records nothing: it is removed.
    func discard() {
        try? handle.close()
        unlink(path)
    }
}

/// Sends DeleteObjects batches of 1000 (and single deletes for keys XML cannot carry) on a
/// pool. `submit` waits while enough batches are queued, so a listing that outruns the
/// deletes does not pile up keys in memory.
final class DeleteRunner {
    private let client: S3Client
    private let bucket: String
    private let cancel: CancellationFlag?
    private let progress: ((_ done: Int, _ failed: Int) -> Void)?
    private let pool: WorkerPool
    private let room: DispatchSemaphore
    private let lock = NSLock()
    private var deleted = 0
    private var failures: [S3Client.DeleteFailure] = []

    init(client: S3Client, bucket: String, parallelism: Int, cancel: CancellationFlag?,
         progress: ((_ done: Int, _ failed: Int) -> Void)?) {
        self.client = client
        self.bucket = bucket
        self.cancel = cancel
        self.progress = progress
        pool = WorkerPool(threads: parallelism)
        room = DispatchSemaphore(value: parallelism * 2)
    }

    func submit(_ items: [DeletePlan.Item]) {
        let carriable = items.filter { XMLText.canCarry($0.key) }
        for start in stride(from: 0, to: carriable.count, by: Deleter.batchSize) {
            let batch = Array(carriable[start..<min(start + Deleter.batchSize, carriable.count)])
            room.wait()
            pool.submit { [self] in
                defer { room.signal() }
                if cancel?.isCancelled == true { return }
                do {
                    // A plain delete, never by version id: on a versioned bucket it adds a delete
                    // marker, as the confirmation said. The version ids are for the manifest.
                    let failed = try client.deleteObjects(bucket: bucket, keys: batch.map { ($0.key, nil) })
                    record(batch.count - failed.count, failed)
                } catch {
                    record(0, batch.map {
                        .init(key: $0.key, code: "RequestFailed", message: String(describing: error))
                    })
                }
            }
        }
        for item in items where !XMLText.canCarry(item.key) {
            room.wait()
            pool.submit { [self] in
                defer { room.signal() }
                if cancel?.isCancelled == true { return }
                do {
                    try client.deleteObject(bucket: bucket, key: item.key)
                    record(1, [])
                } catch {
                    let code = (error as? S3Error)?.serviceCode ?? "RequestFailed"
                    record(0, [.init(key: item.key, code: code, message: String(describing: error))])
                }
            }
        }
    }

    private func record(_ ok: Int, _ failed: [S3Client.DeleteFailure]) {
        let (d, f) = lock.withLock { () -> (Int, Int) in
            deleted += ok
            failures += failed
            return (deleted, failures.count)
        }
        progress?(d, f)
    }

    /// Waits for everything submitted.
    func finish() -> DeleteOutcome {
        pool.waitUntilIdle()
        return lock.withLock {
            DeleteOutcome(deleted: deleted, failures: failures.sorted { $0.key.bytesPrecede($1.key) })
        }
    }
}
