import Foundation
import S3

/// The destination side of a sync, by path below the sync's root (as bytes: two spellings of
/// one name are two entries). The source is walked or listed once and each of its entries
/// takes its counterpart out; what is left at the end is what the source no longer has.
///
/// Matching by a map rather than by merging two sorted streams keeps the result right
/// whatever order a server lists in (SeaweedFS walks directories, so "a/x" comes after
/// "a-b" there and before it on AWS); it holds one entry per destination object.
public struct SyncIndex: Sendable {
    public struct Entry: Sendable, Equatable {
        /// The object's key, or the local file's path.
        public var location: String
        public var size: Int64
        /// The ETag for objects, "" for local files.
        public var etag: String
    }

    private var entries: [ObjectKey: Entry] = [:]

    public init() {}

    public var count: Int { entries.count }

    public mutating func add(relative: String, _ entry: Entry) { entries[ObjectKey(relative)] = entry }

    /// The counterpart of a source entry, removed so that it is not deleted.
    public mutating func take(_ relative: String) -> Entry? { entries.removeValue(forKey: ObjectKey(relative)) }

    /// What the source did not have, in key order (UTF-8 bytes).
    public var remaining: [(relative: String, entry: Entry)] {
        entries.sorted { $0.key < $1.key }.map { ($0.key.string, $0.value) }
    }
}
