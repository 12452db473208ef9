import Foundation
import Operations

/// Identifies a listed level: a bucket and a prefix ("" for the bucket's top), or the bucket
/// list itself (bucket "").
public struct NodeID: Hashable, Sendable, CustomStringConvertible {
    public var bucket: String
    public var prefix: String
    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    public static let bucketList = NodeID(bucket: "", prefix: "")
    public var isBucketList: Bool { bucket.isEmpty }
    public var description: String { isBucketList ? "buckets" : "s3://\(bucket)/\(prefix)" }

    // Prefixes are keys: compared and hashed by their bytes (see ObjectKey).
    public static func == (a: NodeID, b: NodeID) -> Bool {
        a.bucket == b.bucket && a.prefix.bytesEqual(b.prefix)
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bucket)
        prefix.hashBytes(into: &hasher)
    }

    func child(_ c: TreeChild) -> NodeID? {
        switch c {
        case .bucket(let name, _): return NodeID(bucket: name, prefix: "")
        case .prefix(let name): return NodeID(bucket: bucket, prefix: prefix + name)
        case .object: return nil
        }
    }
}
