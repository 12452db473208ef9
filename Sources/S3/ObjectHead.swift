import Foundation

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
