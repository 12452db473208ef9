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

    public var isEmpty: Bool { setFields.isEmpty && removeFields.isEmpty && setMetadata.isEmpty && removeMetadata.isEmpty }
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
    public var skipped: [String] = []
    public var failed: [(key: String, reason: String)] = []
    /// Changed objects whose tags the server dropped in the copy and pail put back.
    public var tagsRestored: [String] = []

    /// "changed 3, skipped 1, failed 0", and what pail had to repair, for the CLI and the browser.
    public var line: String {
        var s = "changed \(changed.count), skipped \(skipped.count), failed \(failed.count)"
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

    /// HEADs every key in parallel and computes the result of `changes` on each.
    public func plan(bucket: String, keys: [String], changes: HeaderChanges, progress: ((Int) -> Void)? = nil) throws -> [EditItem] {
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
            out.append(FieldPreview(field: f.rawValue, before: before, after: changes.setFields[f] ?? "(removed)", changing: changing))
        }
        for k in Set(changes.setMetadata.keys).union(changes.removeMetadata).sorted() {
            var before: [String: Int] = [:]
            var changing = 0
            for i in items {
                before[i.before.metadata[k.lowercased()] ?? "(none)", default: 0] += 1
                if i.before.metadata[k.lowercased()] != i.after.metadata[k.lowercased()] { changing += 1 }
            }
            out.append(FieldPreview(field: "meta \(k.lowercased())", before: before, after: changes.setMetadata[k] ?? "(removed)", changing: changing))
        }
        return out
    }

    /// Applies the plan: unchanged objects are skipped (S3 refuses a self-copy that changes
    /// nothing), the rest copied in parallel.
    public func apply(bucket: String, items: [EditItem], progress: ((_ done: Int) -> Void)? = nil) -> EditSummary {
        // With ACLs disabled on the bucket (BucketOwnerEnforced, AWS's default since 2023)
        // there is no per-object ACL to keep, and ACL headers would be refused: one request
        // for the bucket instead of one per object.
        aclsDisabled = client.getBucketOwnership(bucket: bucket) == "BucketOwnerEnforced"
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

    /// Returns true when the server dropped the object's tags in the copy and they were put back.
    func copyInPlace(bucket: String, item: EditItem) throws -> Bool {
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
            throw S3Error.local("cannot read the ACL of \(TerminalSafe.escape(key)), so the copy could change who can read it: \(error)")
        }
    }

    func multipartCopy(bucket: String, key: String, size: Int64, etag: String, headers: [(String, String)]) throws {
        // At most 10,000 parts: a 5 TiB object needs parts above 512 MiB (rule 11).
        try client.multipartCopy(bucket: bucket, key: key, sourceBucket: bucket, sourceKey: key, size: size, etag: etag,
                                 headers: headers, partSize: TransferOptions.partSize(for: size, preferred: copyPartSize),
                                 cancel: cancel)
    }
}
