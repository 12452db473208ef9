import Foundation
import S3

/// Plans a sync from one listing of each side. Content is compared as `cp --skip-identical`
/// compares it: same size and the MD5 (or the multipart ETag an upload of the file would
/// produce); `sizeOnly` trusts equal sizes.
public final class Syncer {
    public let client: S3Client
    public let engine: TransferEngine
    public var filter = SyncFilter()
    public var sizeOnly = false
    public var delete = false

    public init(client: S3Client, engine: TransferEngine) {
        self.client = client
        self.engine = engine
    }

    public func plan(from source: SyncEndpoint, to destination: SyncEndpoint, cancel: CancellationFlag? = nil) throws
        -> SyncPlan {
        var index = try self.index(destination, cancel: cancel)
        var plan = SyncPlan()
        switch (source, destination) {
        case (.local(let folder), .s3(let bucket, let prefix)):
            let walk = try UploadPlan.make(paths: [Self.contents(folder)], destination: prefix, recursive: true)
            plan.refused = walk.skipped
            var sameSize: [(TransferEngine.UploadSource, SyncIndex.Entry)] = []
            for file in walk.sources {
                let relative = file.key.droppingBytePrefix(prefix)
                guard admit(relative, &plan) else { continue }
                guard let existing = index.take(relative) else { plan.uploads.append(file); continue }
                if engine.willCompress(file, bucket: bucket) {
                    plan.compareAfterGzip[ObjectKey(file.key)] = (existing.size, existing.etag)
                    plan.uploads.append(file)
                } else if existing.size != file.size {
                    plan.uploads.append(file)
                } else if sizeOnly {
                    plan.unchanged += 1
                } else {
                    sameSize.append((file, existing))
                }
            }
            for (file, same) in zip(sameSize, try identical(sameSize.map { ($0.0, $0.1) })) {
                if same { plan.unchanged += 1 } else { plan.uploads.append(file.0) }
            }
            if delete { plan.deleteObjects = try objectsLeft(index, bucket: bucket, prefix: prefix) }
        case (.s3(let bucket, let prefix), .local(let folder)):
            var wanted: [ObjectSummary] = []
            var sameSize: [(ObjectSummary, SyncIndex.Entry)] = []
            try RecursiveLister(client: client).list(bucket: bucket, prefix: prefix, cancel: cancel) { objects in
                for o in objects where o.key.utf8.last != UInt8(ascii: "/") {
                    let relative = o.key.droppingBytePrefix(prefix)
                    guard self.admit(relative, &plan) else { continue }
                    guard let existing = index.take(relative) else { wanted.append(o); continue }
                    if existing.size != o.size { wanted.append(o) } else if self.sizeOnly { plan.unchanged += 1 } else {
                        sameSize.append((o, existing))
                    }
                }
            }
            let asFiles = sameSize.map {
                (TransferEngine.UploadSource(path: $0.1.location, key: $0.0.key, size: $0.0.size),
                 SyncIndex.Entry(location: $0.0.key, size: $0.0.size, etag: $0.0.etag))
            }
            for (pair, same) in zip(sameSize, try identical(asFiles)) {
                if same { plan.unchanged += 1 } else { wanted.append(pair.0) }
            }
            let downloads = TransferEngine.planDownload(objects: wanted, prefix: prefix, destination: folder)
            plan.downloads = downloads.targets
            plan.refused += downloads.refused.map { ("s3://\(bucket)/\($0.key)", $0.reason) }
            if delete { plan.deleteFiles = index.remaining.map { ($0.entry.location, $0.entry.size) } }
        case (.s3(let fromBucket, let fromPrefix), .s3(let bucket, let prefix)):
            var wanted: [ObjectSummary] = []
            let lister = RecursiveLister(client: client)
            try lister.list(bucket: fromBucket, prefix: fromPrefix, cancel: cancel) { objects in
                for o in objects where o.key.utf8.last != UInt8(ascii: "/") {
                    let relative = o.key.droppingBytePrefix(fromPrefix)
                    guard self.admit(relative, &plan) else { continue }
                    if let existing = index.take(relative), existing.size == o.size,
                       self.sizeOnly || (!o.etag.isEmpty && existing.etag.lowercased() == o.etag.lowercased()) {
                        plan.unchanged += 1
                    } else {
                        wanted.append(o)
                    }
                }
            }
            let copies = TransferEngine.planCopy(objects: wanted, prefix: fromPrefix, sourceBucket: fromBucket,
                                                 destinationBucket: bucket, destinationPrefix: prefix)
            plan.copies = copies.targets
            plan.refused += copies.refused.map { ("s3://\(fromBucket)/\($0.key)", $0.reason) }
            if delete { plan.deleteObjects = try objectsLeft(index, bucket: bucket, prefix: prefix) }
        case (.local, .local):
            throw S3Error.configuration("sync needs an s3:// side: for two folders, use rsync")
        }
        return plan
    }

    private func admit(_ relative: String, _ plan: inout SyncPlan) -> Bool {
        if filter.admits(relative) { return true }
        plan.excluded += 1
        return false
    }

    /// A folder's contents (not the folder itself) go to the prefix.
    static func contents(_ folder: String) -> String { folder.hasByteSuffix("/") ? folder : folder + "/" }

    /// The destination, by path below its root.
    private func index(_ side: SyncEndpoint, cancel: CancellationFlag?) throws -> SyncIndex {
        var index = SyncIndex()
        switch side {
        case .s3(let bucket, let prefix):
            try RecursiveLister(client: client).list(bucket: bucket, prefix: prefix, cancel: cancel) { objects in
                for o in objects where o.key.utf8.last != UInt8(ascii: "/") && o.key.hasBytePrefix(prefix) {
                    index.add(relative: o.key.droppingBytePrefix(prefix),
                              .init(location: o.key, size: o.size, etag: o.etag))
                }
            }
        case .local(let folder):
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) else { return index }
            guard isDir.boolValue else { throw S3Error.local("\(folder) is not a folder") }
            // Links inside the folder are not followed, so a delete never reaches through one.
            let walk = try UploadPlan.make(paths: [Self.contents(folder)], destination: "", recursive: true)
            for file in walk.sources {
                index.add(relative: file.key, .init(location: file.path, size: file.size, etag: ""))
            }
        }
        return index
    }

    /// Objects the source no longer has, each checked to be below the prefix (rule 8).
    private func objectsLeft(_ index: SyncIndex, bucket: String, prefix: String) throws -> [DeletePlan.Item] {
        try index.remaining.map { _, entry in
            guard entry.location.hasBytePrefix(prefix) else {
                throw S3Error.local("refusing to delete \(entry.location): it is not below \(prefix)")
            }
            return DeletePlan.Item(key: entry.location, size: entry.size, etag: entry.etag, lastModified: nil,
                                   versionId: nil)
        }
    }

    /// Whether each file holds its object's bytes, hashed a few at a time.
    private func identical(_ pairs: [(TransferEngine.UploadSource, SyncIndex.Entry)]) throws -> [Bool] {
        let results = Verdicts(count: pairs.count)
        let engine = self.engine
        DispatchQueue.concurrentPerform(iterations: pairs.count) { i in
            let (file, object) = pairs[i]
            results.set(i, (try? engine.isIdentical(file, (object.size, object.etag))) ?? false)
        }
        return results.values
    }
}

/// One answer per comparison, written by several threads. `@unchecked Sendable`: `lock`
/// guards `values`.
private final class Verdicts: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Bool]
    init(count: Int) { stored = Array(repeating: false, count: count) }
    func set(_ i: Int, _ v: Bool) { lock.withLock { stored[i] = v } }
    var values: [Bool] { lock.withLock { stored } }
}
