import Foundation
import S3

/// Where each field pail uses sits in a CSV row.
public struct InventoryColumns: Sendable {
    public var count: Int
    public var bucket: Int
    public var key: Int
    public var size: Int
    public var lastModified: Int?
    public var etag: Int?
    public var storageClass: Int?
    public var isLatest: Int?
    public var isDeleteMarker: Int?

    public init(fields: [String], what: String) throws {
        func index(_ name: String) -> Int? { fields.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame } }
        guard let bucket = index("Bucket"), let key = index("Key"), let size = index("Size") else {
            throw S3Error.local("\(what) lacks the Bucket, Key or Size field, which pail needs "
                                + "(fields: \(fields.joined(separator: ", ").prefix(200)))")
        }
        count = fields.count
        self.bucket = bucket
        self.key = key
        self.size = size
        lastModified = index("LastModifiedDate")
        etag = index("ETag")
        storageClass = index("StorageClass")
        isLatest = index("IsLatest")
        isDeleteMarker = index("IsDeleteMarker")
    }
}
