import Foundation
import Operations

/// One object as the tree keeps it: the name below its parent prefix, and little else, so a
/// prefix of 100,000 objects stays small (the benchmark measures bytes per entry).
public struct ListedObject: Equatable, Sendable {
    public var name: String
    public var size: Int64
    /// Whole seconds since 1970 (0: unknown); 32 bits last until 2106 and keep entries small.
    var modifiedSeconds: UInt32
    public var storageClass: StorageClassCode

    /// Seconds since 1970, or NaN when the listing did not say.
    public var modified: Double { modifiedSeconds == 0 ? .nan : Double(modifiedSeconds) }

    public init(name: String, size: Int64, modified: Double, storageClass: StorageClassCode) {
        self.name = name
        self.size = size
        modifiedSeconds = modified.isNaN || modified <= 0 ? 0 : UInt32(min(modified, Double(UInt32.max)))
        self.storageClass = storageClass
    }

    init(name: String, size: Int64, modifiedSeconds: UInt32, storageClass: StorageClassCode) {
        self.name = name
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.storageClass = storageClass
    }
}
