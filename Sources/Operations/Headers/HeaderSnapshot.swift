import Foundation
import S3

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
