import Operations

/// One object a search or a leftover finder found: what its page shows and marks.
public struct CleanupRow: Equatable, Sendable {
    public var key: String
    public var size: Int64
    public var modified: Double
    public var etag: String
    public var storageClass: String?
    /// The duplicate group the row belongs to (0, 1, ...), the first of a group is the oldest.
    public var group: Int?
    public init(key: String, size: Int64, modified: Double, etag: String = "", storageClass: String? = nil,
                group: Int? = nil) {
        self.key = key
        self.size = size
        self.modified = modified
        self.etag = etag
        self.storageClass = storageClass
        self.group = group
    }
}
