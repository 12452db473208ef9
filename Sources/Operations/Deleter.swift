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
    public var items: [Item]
    /// The prefix being deleted recursively, if the plan came from one (always ends in "/").
    public var prefixes: [String]
    /// The bucket's versioning status: with "Enabled" a plain delete only adds delete markers.
    public var versioning: String?

    public var totalBytes: Int64 { items.reduce(0) { $0 + $1.size } }
    public var addsDeleteMarkers: Bool { versioning == "Enabled" || versioning == "Suspended" }

    /// Whether the person must type the prefix or the count to confirm (not just "y").
    public var needsTypedConfirmation: Bool { !prefixes.isEmpty || items.count > 100 }

    /// What must be typed: the prefix for one prefix, otherwise the count.
    public var confirmationWord: String {
        prefixes.count == 1 ? "s3://\(bucket)/\(prefixes[0])" : String(items.count)
    }

    /// A short description for the confirmation: count, size, the first keys, versioning.
    public func summary(firstKeys n: Int = 5) -> [String] {
        var lines = ["\(items.count) object\(items.count == 1 ? "" : "s"), \(ByteCount.format(totalBytes)), in s3://\(bucket)/"]
        for item in items.prefix(n) { lines.append("  " + TerminalSafe.escape(item.key)) }
        if items.count > n { lines.append("  … and \(items.count - n) more") }
        if addsDeleteMarkers {
            lines.append("versioning is \(versioning!.lowercased()) on this bucket: the delete only adds delete markers; the data stays in older versions")
        }
        return lines
    }
}

public struct DeleteOutcome: Sendable {
    public var deleted: Int
    public var failures: [S3Client.DeleteFailure]
}

/// Deletes objects safely (S3 rules 7-10): a listed plan first, a manifest on disk, then
/// DeleteObjects in batches of 1000 with several batches in flight.
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
    public func plan(bucket: String, keys: [String], prefixes: [String], cancel: CancellationFlag? = nil) throws -> DeletePlan {
        var items: [DeletePlan.Item] = []
        var seen = Set<String>()
        for key in keys {
            let head = try client.headObject(bucket: bucket, key: key)
            if seen.insert(key).inserted {
                items.append(.init(key: key, size: head.size, etag: head.etag, lastModified: head.lastModified, versionId: head.versionId))
            }
        }
        var bounded: [String] = []
        for p in prefixes {
            let prefix = p.isEmpty || p.hasSuffix("/") ? p : p + "/"
            bounded.append(prefix)
            try client.listAllPages(bucket: bucket, prefix: prefix, cancel: cancel) { page in
                for o in page.objects where seen.insert(o.key).inserted {
                    items.append(.init(key: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified, versionId: nil))
                }
                return true
            }
        }
        let versioning = try? client.getBucketVersioning(bucket: bucket)
        return DeletePlan(bucket: bucket, items: items, prefixes: bounded, versioning: versioning ?? nil)
    }

    /// Writes the plan as JSON Lines under the state directory; returns the file's path.
    public func writeManifest(_ plan: DeletePlan, environment env: [String: String]) throws -> String {
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        let dir = base + "/pail/deletions"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let stamp = Timestamps.formatISO8601(Date()).replacingOccurrences(of: ":", with: "")
        let path = "\(dir)/\(stamp)-\(plan.bucket)-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        var text = ""
        for item in plan.items {
            var j = JSONWriter()
            j.field("bucket", plan.bucket)
            j.field("key", item.key)
            j.field("size", item.size)
            j.field("etag", item.etag)
            j.field("last_modified", item.lastModified.map(Timestamps.formatISO8601))
            j.field("version_id", item.versionId)
            text += j.line
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw S3Error.local("cannot write the deletion manifest \(path)")
        }
        return path
    }

    /// Deletes everything in the plan. Keys with control characters go one by one.
    public func execute(_ plan: DeletePlan, cancel: CancellationFlag? = nil,
                        progress: ((_ done: Int, _ failed: Int) -> Void)? = nil) -> DeleteOutcome {
        let lock = NSLock()
        var deleted = 0
        var failures: [S3Client.DeleteFailure] = []
        func record(_ ok: Int, _ failed: [S3Client.DeleteFailure]) {
            lock.withLock {
                deleted += ok
                failures += failed
            }
            let (d, f) = lock.withLock { (deleted, failures.count) }
            progress?(d, f)
        }
        let carriable = plan.items.filter { XMLText.canCarry($0.key) }
        let single = plan.items.filter { !XMLText.canCarry($0.key) }
        let batches = stride(from: 0, to: carriable.count, by: Self.batchSize).map {
            Array(carriable[$0..<min($0 + Self.batchSize, carriable.count)])
        }
        let queue = WorkerPool(threads: parallelism)
        for batch in batches {
            queue.submit { [client] in
                if cancel?.isCancelled == true { return }
                do {
                    // A plain delete, never by version id: on a versioned bucket it adds a delete
                    // marker, as the confirmation said. The version ids are for the manifest.
                    let failed = try client.deleteObjects(bucket: plan.bucket, keys: batch.map { ($0.key, nil) })
                    record(batch.count - failed.count, failed)
                } catch {
                    record(0, batch.map { .init(key: $0.key, code: "RequestFailed", message: String(describing: error)) })
                }
            }
        }
        for item in single {
            queue.submit { [client] in
                if cancel?.isCancelled == true { return }
                do {
                    try client.deleteObject(bucket: plan.bucket, key: item.key)
                    record(1, [])
                } catch {
                    record(0, [.init(key: item.key, code: (error as? S3Error)?.serviceCode ?? "RequestFailed", message: String(describing: error))])
                }
            }
        }
        queue.waitUntilIdle()
        return DeleteOutcome(deleted: deleted, failures: failures.sorted { $0.key < $1.key })
    }
}

public enum ByteCount {
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes) / 1024
        var i = 0
        while value >= 1024 && i < units.count - 1 {
            value /= 1024
            i += 1
        }
        return value >= 100 ? "\(Int(value.rounded())) \(units[i])" : String(format: "%.1f ", value) + units[i]
    }
}
