import Foundation
import S3

/// One object's headers, as the audit shows them.
public struct AuditRow: Sendable {
    public var key: String
    public var size: Int64
    public var lastModified: Date?
    public var contentType: String?
    public var cacheControl: String?
    public var contentEncoding: String?
    public var metadata: [(String, String)] = []
    public var error: String?
    /// For a font, what the public URL answered to an `Origin`: the origin sent and the
    /// `Access-Control-Allow-Origin` served (nil: none). Unset when not checked.
    public var cors: (origin: String, allowOrigin: String?)?

    public init(key: String, size: Int64, lastModified: Date?, contentType: String? = nil, cacheControl: String? = nil,
                contentEncoding: String? = nil) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.contentEncoding = contentEncoding
    }

    public func value(of header: String) -> String? {
        switch header.lowercased() {
        case "content-type": return contentType
        case "cache-control": return cacheControl
        case "content-encoding": return contentEncoding
        default:
            let h = header.lowercased()
            if h.hasPrefix("x-amz-meta-") { return metadata.first { $0.0 == h.dropFirst(11) }?.1 }
            return nil
        }
    }
}
