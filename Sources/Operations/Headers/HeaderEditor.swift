import Foundation
import S3

/// Edits headers in place by copying each object onto itself, keeping everything it does not
/// change, its ACL and its tags (S3 rules 1-6).
public final class HeaderEditor: @unchecked Sendable {
    public let client: S3Client
    public let parallelism: Int
    /// Above this, CopyObject fails on AWS (rule 4): multipart copy instead. A parameter so
    /// tests can exercise that path with small objects.
    public var multipartCopyThreshold: Int64 = 5 << 30
    public var copyPartSize: Int64 = 512 << 20
    /// Set by a signal: edits not yet started are not started, a multipart copy under way is
    /// aborted between parts (nothing is left stored), a single copy finishes (it is atomic).
    public let cancel = CancellationFlag()
    private var aclsDisabled = false

    public init(client: S3Client, parallelism: Int = 32) {
        self.client = client
        self.parallelism = parallelism
    }

    /// HEADs every key in parallel and computes the result of `changes` on each, all held in
    /// memory. The command and the browser plan through `HeaderEditPlanner` instead (a spool,
    /// pages); this stays for tests that look at single objects' edits.
    public func plan(bucket: String, keys: [String], changes: HeaderChanges,
                     progress: ((Int) -> Void)? = nil) throws -> [EditItem] {
        var items = [EditItem?](repeating: nil, count: keys.count)
        var firstError: Error?
        let lock = NSLock()
        var done = 0
        let queue = WorkerPool(threads: parallelism)
        for (i, key) in keys.enumerated() {
            queue.submit { [client] in
                do {
                    let before = HeaderSnapshot(head: try client.headObject(bucket: bucket, key: key))
                    let item = EditItem(key: key, before: before, after: before.applying(changes))
                    lock.withLock { items[i] = item; done += 1 }
                } catch {
                    lock.withLock { if firstError == nil { firstError = error } }
                }
                progress?(lock.withLock { done })
            }
        }
        queue.waitUntilIdle()
        if let firstError { throw firstError }
        return items.compactMap { $0 }
    }

    public static func preview(_ items: [EditItem], changes: HeaderChanges) -> [FieldPreview] {
        var out: [FieldPreview] = []
        for f in HeaderField.allCases where changes.setFields[f] != nil || changes.removeFields.contains(f) {
            var before: [String: Int] = [:]
            var changing = 0
            for i in items {
                before[i.before.fields[f] ?? "(none)", default: 0] += 1
                if i.before.fields[f] != i.after.fields[f] { changing += 1 }
            }
            out.append(FieldPreview(field: f.rawValue, before: before, after: changes.setFields[f] ?? "(removed)",
                                    changing: changing))
        }
        for k in Set(changes.setMetadata.keys).union(changes.removeMetadata).sorted() {
            var before: [String: Int] = [:]
            var changing = 0
            for i in items {
                before[i.before.metadata[k.lowercased()] ?? "(none)", default: 0] += 1
                if i.before.metadata[k.lowercased()] != i.after.metadata[k.lowercased()] { changing += 1 }
            }
            out.append(FieldPreview(field: "meta \(k.lowercased())", before: before,
                                    after: changes.setMetadata[k] ?? "(removed)", changing: changing))
        }
        return out
    }

    /// Applies the plan: unchanged objects are skipped (S3 refuses a self-copy that changes
    /// nothing), the rest copied in parallel.
    public func apply(bucket: String, items: [EditItem], progress: ((_ done: Int) -> Void)? = nil) -> EditSummary {
        aclsDisabledForApply(bucket: bucket)
        var summary = EditSummary()
        let lock = NSLock()
        var done = 0
        let queue = WorkerPool(threads: parallelism)
        for item in items {
            guard item.changes else {
                summary.skipped.append(item.key)
                continue
            }
            queue.submit { [self] in
                do {
                    if cancel.isCancelled { throw S3Error.cancelled }
                    let restored = try copyInPlace(bucket: bucket, item: item)
                    lock.withLock {
                        summary.changed.append(item.key)
                        if restored { summary.tagsRestored.append(item.key) }
                    }
                } catch {
                    lock.withLock { summary.failed.append((item.key, String(describing: error))) }
                }
                progress?(lock.withLock { done += 1; return done })
            }
        }
        queue.waitUntilIdle()
        summary.changed.sort { $0.bytesPrecede($1) }
        summary.tagsRestored.sort { $0.bytesPrecede($1) }
        summary.failed.sort { $0.key.bytesPrecede($1.key) }
        return summary
    }

    /// With ACLs disabled on the bucket (BucketOwnerEnforced, AWS's default since 2023)
    /// there is no per-object ACL to keep, and ACL headers would be refused: one request
    /// for the bucket instead of one per object.
    func aclsDisabledForApply(bucket: String) {
        aclsDisabled = client.getBucketOwnership(bucket: bucket) == "BucketOwnerEnforced"
    }

    /// Returns true when the server dropped the object's tags in the copy and they were put back.
    func copyInPlace(bucket: String, item: EditItem) throws -> Bool {
        // A Content-Encoding that would lie about the stored bytes is refused for this object.
        if let problem = try ContentEncodingCheck.problem(client: client, bucket: bucket, item: item) {
            throw S3Error.local(problem)
        }
        var headers = item.after.copyHeaders
        headers += try aclHeaders(bucket: bucket, key: item.key)
        let multipart = item.before.size > multipartCopyThreshold
        // Tags (rule 3): RGW drops them on both kinds of copy, so they are checked and put back.
        let keeper = TagKeeper(client: client)
        return try keeper.copy(from: (bucket, item.key), to: (bucket, item.key), tagCount: item.before.tagCount,
                               kind: multipart ? .multipart : .replace) {
            if multipart {
                try multipartCopy(bucket: bucket, key: item.key, size: item.before.size, etag: item.before.etag,
                                  headers: headers)
            } else {
                // If-Match: an object changed since the HEAD is not overwritten with stale headers.
                _ = try client.copyObject(bucket: bucket, key: item.key, sourceBucket: bucket, sourceKey: item.key,
                                          headers: headers, ifMatch: item.before.etag)
            }
        }
    }

    /// The object's ACL as headers for the copy itself, so it is never private in between
    /// (rule 2). A server without ACLs (NotImplemented) gets none; an ACL that cannot be read
    /// stops the edit rather than silently making the object private.
    func aclHeaders(bucket: String, key: String) throws -> [(String, String)] {
        if aclsDisabled { return [] }
        do {
            return try client.getObjectAcl(bucket: bucket, key: key).headers
        } catch let S3Error.service(e) where ["NotImplemented", "MethodNotAllowed"].contains(e.code) {
            return []
        } catch {
            throw S3Error.local("cannot read the ACL of \(TerminalSafe.escape(key)), "
                                + "so the copy could change who can read it: \(error)")
        }
    }

    func multipartCopy(bucket: String, key: String, size: Int64, etag: String, headers: [(String, String)]) throws {
        // At most 10,000 parts: a 5 TiB object needs parts above 512 MiB (rule 11).
        try client.multipartCopy(bucket: bucket, key: key, sourceBucket: bucket, sourceKey: key, size: size, etag: etag,
                                 headers: headers,
                                 partSize: TransferOptions.partSize(for: size, preferred: copyPartSize),
                                 cancel: cancel)
    }
}

extension HeaderEditor {
    /// One object to edit: its key and, when it comes from a confirmed preview, the ETag the
    /// preview read (an object changed since is not edited: the person did not see it).
    public struct Entry: Sendable {
        public var key: String
        public var etag: String?
        public init(key: String, etag: String? = nil) {
            self.key = key
            self.etag = etag
        }
    }

    /// HEADs a page of entries in parallel (at most `parallelism` at once) and hands each
    /// result to `each` in the page's order, a failure as its reason.
    func headPage(bucket: String, _ entries: [Entry], changes: HeaderChanges,
                  each: (Entry, Result<EditItem, Error>) throws -> Void) throws {
        var results = [Result<EditItem, Error>?](repeating: nil, count: entries.count)
        let lock = NSLock()
        let queue = WorkerPool(threads: min(parallelism, max(1, entries.count)))
        for (i, entry) in entries.enumerated() {
            queue.submit { [client] in
                let result = Result {
                    let before = HeaderSnapshot(head: try client.headObject(bucket: bucket, key: entry.key))
                    return EditItem(key: entry.key, before: before, after: before.applying(changes))
                }
                lock.withLock { results[i] = result }
            }
        }
        queue.waitUntilIdle()
        queue.shutdown()
        for (entry, result) in zip(entries, results) { try each(entry, result!) }
    }

    /// Edits a stream of entries, a page at a time: `pages` calls its argument with each page
    /// (from a listing, or from a confirmed preview's spool); each object is read again, left
    /// alone when already right, refused when its ETag is not the one previewed, copied onto
    /// itself otherwise. `failed` hears of each failure as it happens; `progress` gets the
    /// number of objects done so far; `each` the outcome of every object edited or skipped.
    public func applyStreaming(bucket: String, changes: HeaderChanges,
                               pages: (_ page: ([Entry]) throws -> Void) throws -> Void,
                               failed: @escaping (_ key: String, _ reason: String) -> Void,
                               progress: ((_ done: Int) -> Void)? = nil,
                               each: ((_ key: String, EditOutcome) -> Void)? = nil) throws -> StreamedEditSummary {
        aclsDisabledForApply(bucket: bucket)
        final class Counts: @unchecked Sendable {  // under `lock`
            let lock = NSLock()
            var summary = StreamedEditSummary()
            var done = 0
        }
        let counts = Counts()
        do {
            try pages { entries in
                if cancel.isCancelled { throw S3Error.cancelled }
                let queue = WorkerPool(threads: min(parallelism, max(1, entries.count)))
                for entry in entries {
                    queue.submit { [self] in
                        do {
                            if cancel.isCancelled { throw S3Error.cancelled }
                            let restored = try edit(bucket: bucket, entry, changes: changes)
                            each?(entry.key, restored.map { .changed(tagsRestored: $0) } ?? .skipped)
                            counts.lock.withLock {
                                guard let restored else { counts.summary.skipped += 1; return }
                                counts.summary.changed += 1
                                if counts.summary.firstChanged.count < StreamedEditSummary.keptKeys {
                                    counts.summary.firstChanged.append(entry.key)
                                }
                                if restored { counts.summary.tagsRestored += 1 }
                            }
                        } catch {
                            counts.lock.withLock { counts.summary.failed += 1 }
                            failed(entry.key, String(describing: error))
                        }
                        progress?(counts.lock.withLock { counts.done += 1; return counts.done })
                    }
                }
                queue.waitUntilIdle()
                queue.shutdown()
            }
        } catch S3Error.cancelled where cancel.isCancelled {
            // Stopped by a signal: the summary says what was done before.
        }
        var summary = counts.lock.withLock { counts.summary }
        summary.firstChanged.sort { $0.bytesPrecede($1) }
        return summary
    }

    /// Reads one object again and edits it: nil when it is already right, else whether its
    /// tags had to be put back.
    private func edit(bucket: String, _ entry: Entry, changes: HeaderChanges) throws -> Bool? {
        let before = HeaderSnapshot(head: try client.headObject(bucket: bucket, key: entry.key))
        if let planned = entry.etag, planned != before.etag {
            throw S3Error.local("it changed since the preview (ETag \(planned), now \(before.etag)); not edited")
        }
        let item = EditItem(key: entry.key, before: before, after: before.applying(changes))
        guard item.changes else { return nil }
        return try copyInPlace(bucket: bucket, item: item)
    }
}
