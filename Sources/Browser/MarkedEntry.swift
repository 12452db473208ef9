import Foundation
import Operations

/// An object or prefix picked for a later operation.
public struct MarkedEntry: Hashable, Sendable {
    public var bucket: String
    public var key: String
    public var isPrefix: Bool

    // Keys are compared and hashed by their bytes (see ObjectKey): two spellings of one name
    // are two marks.
    public static func == (a: MarkedEntry, b: MarkedEntry) -> Bool {
        a.bucket == b.bucket && a.key.bytesEqual(b.key) && a.isPrefix == b.isPrefix
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bucket)
        key.hashBytes(into: &hasher)
        hasher.combine(isPrefix)
    }
}
