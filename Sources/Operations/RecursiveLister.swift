import Foundation
import S3

/// Lists everything under a prefix, in key order, handing objects over page by page.
///
/// ListObjectsV2 pages follow one another through continuation tokens, so one listing is a
/// chain of round trips. To go faster the lister first asks for the prefix's children with
/// delimiter `/`, then walks several child prefixes at once, and still emits them in order:
/// the subtree being printed streams straight through, later ones are buffered until their
/// turn (bounded by `parallelism` subtrees in flight).
public final class RecursiveLister {
    public let client: S3Client
    public let parallelism: Int

    /// Longer than any key a server keeps (S3: 1,024 bytes; some allow more).
    static let longestPrefix = 4096

    public init(client: S3Client, parallelism: Int = 8) {
        self.client = client
        self.parallelism = max(1, parallelism)
    }

    /// Calls `emit` with batches of objects in key order. Runs on the caller's thread; the
    /// workers run on their own.
    public func list(bucket: String, prefix: String, cancel: CancellationFlag? = nil,
                     emit: @escaping ([ObjectSummary]) throws -> Void) throws {
        // Top level: direct objects and child prefixes, with delimiter.
        var directObjects: [ObjectSummary] = []
        var children: [String] = []
        try client.listAllPages(bucket: bucket, prefix: prefix, delimiter: "/", cancel: cancel) { page in
            directObjects.append(contentsOf: page.objects)
            children.append(contentsOf: page.commonPrefixes)
            return true
        }
        if children.isEmpty {
            try emit(directObjects)
            return
        }
        if children.count == 1 && directObjects.isEmpty {
            // Each step down is a listing of its own, so no page check sees a server that
            // keeps answering "one child, one level deeper"; S3 keys stop at 1,024 bytes.
            guard children[0].utf8.count <= RecursiveLister.longestPrefix else {
                let limit = RecursiveLister.longestPrefix
                throw S3Error.serverFault("the server listed a prefix longer than \(limit) bytes "
                                          + "under s3://\(bucket)/\(prefix.prefix(100))...; stopping")
            }
            // One child only: nothing to parallelise at this level, go one deeper.
            try list(bucket: bucket, prefix: children[0], cancel: cancel, emit: emit)
            return
        }
        // Objects directly under `prefix` and child subtrees interleave in key order: a key
        // "a/b.txt" sorts between prefixes "a/a/" and "a/c/". Merge them by key.
        var units: [(sortKey: String, isPrefix: Bool)] = directObjects.map { ($0.key, false) } + children.map { ($0, true) }
        // S3 orders keys by their UTF-8 bytes, not by Swift's Unicode-aware String order.
        units.sort { $0.sortKey.bytesPrecede($1.sortKey) }
        var objectsByKey: [ObjectKey: ObjectSummary] = [:]
        for o in directObjects { objectsByKey[o.objectKey] = o }

        let prefixes = units.filter { $0.isPrefix }.map { $0.sortKey }
        let fetcher = SubtreeFetcher(client: client, bucket: bucket, prefixes: prefixes, parallelism: parallelism, cancel: cancel)
        fetcher.start()
        defer { fetcher.stop() }
        var pendingObjects: [ObjectSummary] = []
        var prefixIndex = 0
        for unit in units {
            if !unit.isPrefix {
                pendingObjects.append(objectsByKey[ObjectKey(unit.sortKey)]!)
                continue
            }
            if !pendingObjects.isEmpty { try emit(pendingObjects); pendingObjects.removeAll() }
            try fetcher.drain(index: prefixIndex, emit: emit)
            prefixIndex += 1
        }
        if !pendingObjects.isEmpty { try emit(pendingObjects) }
    }
}

/// Walks child prefixes on worker threads; the consumer drains them strictly in order.
/// `@unchecked Sendable`: every mutable field is read and written under `condition`.
final class SubtreeFetcher: @unchecked Sendable {
    private let client: S3Client
    private let bucket: String
    private let prefixes: [String]
    private let parallelism: Int
    private let cancel: CancellationFlag
    private let outerCancel: CancellationFlag?
    private let condition = NSCondition()
    private var batches: [[[ObjectSummary]]]
    private var done: [Bool]
    private var errors: [Error?]
    private var nextToStart = 0
    private var consumed = 0

    init(client: S3Client, bucket: String, prefixes: [String], parallelism: Int, cancel: CancellationFlag?) {
        self.client = client
        self.bucket = bucket
        self.prefixes = prefixes
        self.parallelism = parallelism
        self.cancel = CancellationFlag()
        outerCancel = cancel
        batches = Array(repeating: [], count: prefixes.count)
        done = Array(repeating: false, count: prefixes.count)
        errors = Array(repeating: nil, count: prefixes.count)
    }

    func start() {
        for _ in 0..<min(parallelism, prefixes.count) {
            Thread.detachNewThread { [self] in worker() }
        }
    }

    func stop() { cancel.cancel() }

    private func worker() {
        while true {
            condition.lock()
            // Stay at most `parallelism` subtrees ahead of the consumer: memory stays bounded.
            while nextToStart < prefixes.count && nextToStart >= consumed + parallelism && !cancel.isCancelled {
                condition.wait()
            }
            guard nextToStart < prefixes.count, !cancel.isCancelled else { condition.unlock(); return }
            let index = nextToStart
            nextToStart += 1
            condition.unlock()
            do {
                try client.listAllPages(bucket: bucket, prefix: prefixes[index], cancel: cancel) { page in
                    if self.outerCancel?.isCancelled == true { self.cancel.cancel() }
                    self.condition.lock()
                    self.batches[index].append(page.objects)
                    self.condition.broadcast()
                    self.condition.unlock()
                    return !self.cancel.isCancelled
                }
                condition.lock(); done[index] = true
            } catch {
                condition.lock(); errors[index] = error; done[index] = true
            }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Emits subtree `index` as its pages arrive, returning when it is complete.
    func drain(index: Int, emit: ([ObjectSummary]) throws -> Void) throws {
        while true {
            condition.lock()
            while batches[index].isEmpty && !done[index] { condition.wait() }
            let ready = batches[index]
            batches[index].removeAll()
            let finished = done[index] && batches[index].isEmpty
            let error = errors[index]
            if finished { consumed = index + 1; condition.broadcast() }
            condition.unlock()
            for batch in ready where !batch.isEmpty { try emit(batch) }
            if let error { throw error }
            if finished { return }
        }
    }
}
