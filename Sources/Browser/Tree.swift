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

/// Storage classes as a byte: interned names, short labels for the tree column.
public struct StorageClassCode: Equatable, Hashable, Sendable {
    public let raw: UInt8
    static let names = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
                        "DEEP_ARCHIVE", "GLACIER_IR", "REDUCED_REDUNDANCY", "EXPRESS_ONEZONE", "OUTPOSTS", "SNOW"]
    static let labels = ["STD", "IA", "1Z-IA", "INT", "GLAC", "DEEP", "GL-IR", "RRS", "EXP", "OUT", "SNOW"]

    public init(_ name: String?) {
        guard let name, let i = Self.names.firstIndex(of: name) else { raw = name == nil ? 0 : 255; return }
        raw = UInt8(i)
    }

    init(raw: UInt8) { self.raw = raw }

    public var label: String { raw == 255 ? "OTHER" : Self.labels[Int(raw)] }
    public var name: String { raw == 255 ? "OTHER" : Self.names[Int(raw)] }
}

/// What a tree node holds: prefixes and objects below a prefix, or the buckets at the top.
public enum TreeChild: Equatable, Sendable {
    case bucket(name: String, created: Double)
    case prefix(name: String)  // relative to the parent, ending in "/"
    case object(ListedObject)

    public var name: String {
        switch self {
        case .bucket(let n, _): return n
        case .prefix(let n): return n
        case .object(let o): return o.name
        }
    }

    var isContainer: Bool {
        if case .object = self { return false }
        return true
    }
}

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

public enum LoadState: Equatable, Sendable {
    case unloaded
    case loading(token: Int)
    case loaded
    /// Collapsed before the listing finished: what is here is only part of it.
    case partial
    case failed(String)
}

public struct MeasureState: Equatable, Sendable {
    public var objects: Int64
    public var bytes: Int64
    public var finished: Bool
    public var error: String?
    /// Bytes and objects per storage class, biggest first, from the same listing.
    public var classes: [PrefixUsage.ClassRow]
    /// On the last state of a finished measure: the sizes of the child prefixes, from the
    /// same listing, which the tree takes as their own measures (and then drops from here).
    public var children: [PrefixUsage.Row]

    public init(objects: Int64, bytes: Int64, finished: Bool, error: String? = nil,
                classes: [PrefixUsage.ClassRow] = [], children: [PrefixUsage.Row] = []) {
        self.objects = objects
        self.bytes = bytes
        self.finished = finished
        self.error = error
        self.classes = classes
        self.children = children
    }
}

/// One listed level of the tree.
public struct TreeNode: Sendable {
    public let id: NodeID
    /// Its entries, compact (ChildStore): a level can hold millions.
    public var children = ChildStore()
    public var state: LoadState = .unloaded
    public var expanded = false
    /// Indices of `children` in the current sort order; nil when it must be recomputed.
    var order: [Int32]?
    var orderSort: SortOrder?

    public init(id: NodeID) { self.id = id }

    /// Appends one listing page: prefixes and objects merged in S3's key order.
    mutating func append(prefixes: [String], objects: [ListedObject]) {
        children.append(prefixes: prefixes, objects: objects)
        order = nil
    }
}

public enum SortKey: String, CaseIterable, Sendable {
    case name, size, date
    /// Header columns (`H`): in the sort cycle only while the columns are shown.
    case cacheControl = "cache-control", contentType = "type", contentEncoding = "encoding"
}

public struct SortOrder: Equatable, Sendable {
    public var key: SortKey = .name
    public var reversed = false
    public init(key: SortKey = .name, reversed: Bool = false) {
        self.key = key
        self.reversed = reversed
    }
}
