import Foundation

/// One version of an object, for the versions view.
public struct VersionRow: Equatable, Sendable {
    public var versionId: String
    public var isLatest: Bool
    public var isDeleteMarker: Bool
    public var size: Int64
    public var modified: Double
    public init(versionId: String, isLatest: Bool, isDeleteMarker: Bool, size: Int64, modified: Double) {
        self.versionId = versionId
        self.isLatest = isLatest
        self.isDeleteMarker = isDeleteMarker
        self.size = size
        self.modified = modified
    }
}
