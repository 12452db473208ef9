import Foundation

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
