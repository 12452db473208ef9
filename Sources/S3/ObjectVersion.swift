import Foundation

/// One version of an object, or a delete marker.
public struct ObjectVersion: Sendable, Equatable {
    public var key: String
    public var versionId: String
    public var isLatest: Bool
    public var isDeleteMarker: Bool
    public var size: Int64
    public var lastModified: Date?
    public var etag: String
}
