import Foundation

/// One row of the header audit.
public struct AuditEntry: Equatable, Sendable {
    public var key: String
    public var size: Int64
    public var modified: Double
    public var contentType: String?
    public var cacheControl: String?
    public var contentEncoding: String?
    public var error: String?
    public init(key: String, size: Int64, modified: Double, contentType: String?, cacheControl: String?,
                contentEncoding: String?, error: String? = nil) {
        self.key = key
        self.size = size
        self.modified = modified
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.contentEncoding = contentEncoding
        self.error = error
    }
}
