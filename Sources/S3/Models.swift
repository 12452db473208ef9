import Foundation

public struct Bucket: Sendable, Equatable {
    public var name: String
    public var creationDate: Date?
    public init(name: String, creationDate: Date?) {
        self.name = name
        self.creationDate = creationDate
    }
}

/// One object as a listing describes it.
public struct ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var lastModified: Date?
    /// Without quotes.
    public var etag: String
    public var storageClass: String?

    public init(key: String, size: Int64, lastModified: Date?, etag: String, storageClass: String?) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
        self.storageClass = storageClass
    }
}

/// One ListObjectsV2 response.
public struct ListPage: Sendable {
    public var bucket: String
    public var prefix: String
    public var objects: [ObjectSummary]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    public var nextContinuationToken: String?
    /// Keys and common prefixes (as sent) that did not URL-decode exactly; the client warns
    /// about them and drops them.
    var undecodable: [String] = []

    public init(bucket: String = "", prefix: String = "", objects: [ObjectSummary] = [], commonPrefixes: [String] = [],
                isTruncated: Bool = false, nextContinuationToken: String? = nil) {
        self.bucket = bucket
        self.prefix = prefix
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.isTruncated = isTruncated
        self.nextContinuationToken = nextContinuationToken
    }
}

public enum ETag {
    /// S3 rule 12: only a 32-hex ETag may be an MD5 (multipart ETags end in "-N"; SSE-KMS and
    /// some servers' ETags are not MD5s at all, which callers check separately).
    public static func isPlainMD5(_ etag: String) -> Bool {
        etag.utf8.count == 32 && etag.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46)
        }
    }

    /// A multipart upload's ETag: the MD5 of its parts' MD5s, then "-" and the part count.
    public static func multipart(partMD5s: [[UInt8]]) -> String {
        Digest.md5(Data(partMD5s.flatMap { $0 })).hex + "-\(partMD5s.count)"
    }
}

/// Everything HeadObject says about an object.
public struct ObjectHead: Sendable {
    public var size: Int64
    public var etag: String
    public var lastModified: Date?
    public var contentType: String?
    public var contentEncoding: String?
    public var cacheControl: String?
    public var contentDisposition: String?
    public var contentLanguage: String?
    public var expires: String?
    public var storageClass: String?
    public var versionId: String?
    public var serverSideEncryption: String?
    public var sseKMSKeyId: String?
    public var websiteRedirectLocation: String?
    /// User metadata, names lower-case without `x-amz-meta-`, sorted by name.
    public var metadata: [(String, String)]
    /// Every response header, as sent.
    public var headers: [(String, String)]

    public init(response: HTTPResponse) {
        headers = response.headers
        let h = { (name: String) in response.header(name) }
        size = Int64(h("Content-Length") ?? "") ?? 0
        etag = ObjectHead.unquote(h("ETag") ?? "")
        lastModified = h("Last-Modified").flatMap(Timestamps.parseHTTPDate)
        contentType = h("Content-Type")
        contentEncoding = h("Content-Encoding")
        cacheControl = h("Cache-Control")
        contentDisposition = h("Content-Disposition")
        contentLanguage = h("Content-Language")
        expires = h("Expires")
        storageClass = h("x-amz-storage-class")
        versionId = h("x-amz-version-id")
        serverSideEncryption = h("x-amz-server-side-encryption")
        sseKMSKeyId = h("x-amz-server-side-encryption-aws-kms-key-id")
        websiteRedirectLocation = h("x-amz-website-redirect-location")
        var meta: [(String, String)] = []
        for (name, value) in response.headers {
            let lower = name.lowercased()
            if lower.hasPrefix("x-amz-meta-") {
                meta.append((String(lower.dropFirst("x-amz-meta-".count)), value))
            }
        }
        metadata = meta.sorted { $0.0 < $1.0 }
    }

    /// The head of a HEAD or GET answer, its size checked: a Content-Length that is not a
    /// number from 0 to 5 TiB (S3's largest object) is an error, never a size to allocate or
    /// preallocate. HEAD answers must state one (`requireLength`).
    static func checked(_ response: HTTPResponse, requireLength: Bool, host: String,
                        what: String) throws -> ObjectHead {
        let length = response.header("Content-Length")
        if length == nil && !requireLength { return ObjectHead(response: response) }
        guard let text = length, ObjectSize.parse(text) != nil else {
            let shown = length.map { "Content-Length \"\($0.prefix(40))\"" } ?? "no Content-Length"
            throw S3Error.serverFault("the server at \(host) answered for \(what) with \(shown), not a size from 0 "
                                      + "to 5 TiB (S3's largest object); pail does not use it")
        }
        return ObjectHead(response: response)
    }

    static func unquote(_ s: String) -> String {
        var t = Substring(s)
        if t.hasPrefix("W/") { t = t.dropFirst(2) }
        if t.count >= 2 && t.hasPrefix("\"") && t.hasSuffix("\"") { t = t.dropFirst().dropLast() }
        return String(t)
    }
}
