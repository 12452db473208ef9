import Foundation
import S3

/// The headers a person edits.
public enum HeaderField: String, CaseIterable, Sendable {
    case cacheControl = "Cache-Control"
    case contentType = "Content-Type"
    case contentEncoding = "Content-Encoding"
    case contentDisposition = "Content-Disposition"
    case contentLanguage = "Content-Language"
    case expires = "Expires"

    /// Parses `cache-control`, `Cache-Control`, `cache_control`.
    public init?(name: String) {
        let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
        guard let f = HeaderField.allCases.first(where: { $0.rawValue.lowercased() == n }) else { return nil }
        self = f
    }
}

/// What to change: fields to set or remove, metadata to set or remove. Everything else stays.
public struct HeaderChanges: Sendable, Equatable {
    public var setFields: [HeaderField: String] = [:]
    public var removeFields: Set<HeaderField> = []
    public var setMetadata: [String: String] = [:]
    public var removeMetadata: Set<String> = []
    public init() {}

    public var isEmpty: Bool {
        setFields.isEmpty && removeFields.isEmpty && setMetadata.isEmpty && removeMetadata.isEmpty
    }
}

/// The editable state of one object, read by HEAD, and everything a self-copy must send again.
public struct HeaderSnapshot: Sendable, Equatable {
    public var fields: [HeaderField: String]
    /// Names lower-case, without `x-amz-meta-`.
    public var metadata: [String: String]
    public var storageClass: String?
    public var serverSideEncryption: String?
    public var kmsKeyId: String?
    public var websiteRedirect: String?
    public var etag: String
    public var size: Int64
    /// `x-amz-tagging-count` from HEAD; nil when the server did not say (AWS's HEAD does not).
    public var tagCount: Int?

    public init(head: ObjectHead) {
        var f: [HeaderField: String] = [:]
        f[.cacheControl] = head.cacheControl
        f[.contentType] = head.contentType
        f[.contentEncoding] = head.contentEncoding
        f[.contentDisposition] = head.contentDisposition
        f[.contentLanguage] = head.contentLanguage
        f[.expires] = head.expires
        fields = f
        metadata = Dictionary(head.metadata, uniquingKeysWith: { a, _ in a })
        storageClass = head.storageClass
        serverSideEncryption = head.serverSideEncryption
        kmsKeyId = head.sseKMSKeyId
        websiteRedirect = head.websiteRedirectLocation
        etag = head.etag
        size = head.size
        tagCount = head.headers.first { $0.0.lowercased() == "x-amz-tagging-count" }
            .flatMap { Int($0.1.trimmingCharacters(in: .whitespaces)) }
    }

    public func applying(_ c: HeaderChanges) -> HeaderSnapshot {
        var s = self
        for f in c.removeFields { s.fields[f] = nil }
        for (f, v) in c.setFields { s.fields[f] = v }
        for k in c.removeMetadata { s.metadata[k.lowercased()] = nil }
        for (k, v) in c.setMetadata { s.metadata[k.lowercased()] = v }
        return s
    }

    /// Every header a CopyObject with REPLACE must carry to keep this state (S3 rule 1).
    /// The storage class goes only when HEAD named one, so STANDARD_IA stays STANDARD_IA
    /// and nothing is moved by pail's own choice.
    public var copyHeaders: [(String, String)] {
        var h: [(String, String)] = []
        for f in HeaderField.allCases { if let v = fields[f] { h.append((f.rawValue, v)) } }
        for k in metadata.keys.sorted() { h.append(("x-amz-meta-\(k)", metadata[k]!)) }
        if let sc = storageClass, sc != "STANDARD" { h.append(("x-amz-storage-class", sc)) }
        if let sse = serverSideEncryption {
            h.append(("x-amz-server-side-encryption", sse))
            if sse == "aws:kms", let key = kmsKeyId { h.append(("x-amz-server-side-encryption-aws-kms-key-id", key)) }
        }
        if let r = websiteRedirect { h.append(("x-amz-website-redirect-location", r)) }
        return h
    }

    public func editableEqual(_ other: HeaderSnapshot) -> Bool { fields == other.fields && metadata == other.metadata }
}

/// One object in an edit: before and after.
public struct EditItem: Sendable {
    public var key: String
    public var before: HeaderSnapshot
    public var after: HeaderSnapshot
    public var changes: Bool { !before.editableEqual(after) }
}

/// Per field: how many objects change, from which values to which.
public struct FieldPreview: Sendable, Equatable {
    public var field: String
    public var before: [String: Int]
    public var after: String
    public var changing: Int
}

public struct EditSummary: Sendable {
    public var changed: [String] = []
    /// Objects found already right when they were read again to be edited.
    public var skipped: [String] = []
    public var failed: [(key: String, reason: String)] = []
    /// Changed objects whose tags the server dropped in the copy and pail put back.
    public var tagsRestored: [String] = []
    /// Objects the preview found already right: never queued, so not named one by one.
    public var alreadyRight = 0

    /// Skipped objects, named or not.
    public var skippedCount: Int { skipped.count + alreadyRight }

    /// "changed 3, skipped 1, failed 0", and what pail had to repair, for the CLI and the browser.
    public var line: String {
        var s = "changed \(changed.count), skipped \(skippedCount), failed \(failed.count)"
        if !tagsRestored.isEmpty {
            s += "; tags put back on \(tagsRestored.count) (the server dropped them in the copy)"
        }
        return s
    }
}

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

/// The preview of an edit counted as objects go by, so a prefix of any size is previewed in
/// bounded memory: per field, how many objects hold each value (the first `distinctValues`
/// values, the rest counted together) and how many change.
public struct PreviewTally: Sendable {
    public static let distinctValues = 1000
    public static let otherValues = "(other values)"
    public let changes: HeaderChanges
    public private(set) var objects = 0
    public private(set) var changing = 0
    private var before: [String: [String: Int]] = [:]
    private var changingPerField: [String: Int] = [:]

    public init(changes: HeaderChanges) { self.changes = changes }

    private var fields: [(name: String, value: (HeaderSnapshot) -> String?, after: String)] {
        var out: [(String, (HeaderSnapshot) -> String?, String)] = []
        for f in HeaderField.allCases where changes.setFields[f] != nil || changes.removeFields.contains(f) {
            out.append((f.rawValue, { $0.fields[f] }, changes.setFields[f] ?? "(removed)"))
        }
        for k in Set(changes.setMetadata.keys).union(changes.removeMetadata).sorted() {
            let name = k.lowercased()
            out.append(("meta \(name)", { $0.metadata[name] }, changes.setMetadata[k] ?? "(removed)"))
        }
        return out
    }

    public mutating func add(_ item: EditItem) {
        objects += 1
        if item.changes { changing += 1 }
        for f in fields {
            var values = before[f.name, default: [:]]
            let value = f.value(item.before) ?? "(none)"
            let slot = values[value] != nil || values.count < Self.distinctValues ? value : Self.otherValues
            values[slot, default: 0] += 1
            before[f.name] = values
            if f.value(item.before) != f.value(item.after) { changingPerField[f.name, default: 0] += 1 }
        }
    }

    public var previews: [FieldPreview] {
        fields.map { FieldPreview(field: $0.name, before: before[$0.name] ?? [:], after: $0.after,
                                  changing: changingPerField[$0.name] ?? 0) }
    }
}

/// What a streamed edit did, in counts: a prefix of a million objects is not kept key by key.
/// `firstChanged` holds up to `keptKeys` of the changed keys (enough to invalidate them one by
/// one; past that a CDN is invalidated by prefix).
public struct StreamedEditSummary: Sendable {
    public static let keptKeys = 101
    public var changed = 0
    public var skipped = 0
    public var failed = 0
    public var tagsRestored = 0
    public var firstChanged: [String] = []

    public var line: String {
        var s = "changed \(changed), skipped \(skipped), failed \(failed)"
        if tagsRestored > 0 { s += "; tags put back on \(tagsRestored) (the server dropped them in the copy)" }
        return s
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
