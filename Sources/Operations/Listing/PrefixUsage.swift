import Foundation
import S3

/// Sizes below a prefix, grouped by child prefix (the next path segment), for `pail du`.
/// Objects directly in the prefix make a row of their own. With `byStorageClass`, also
/// grouped by storage class.
public struct PrefixUsage: Sendable {
    public struct Row: Sendable, Equatable {
        /// The child prefix (ending in "/"), or the prefix itself for the objects directly in it.
        public var name: String
        public var bytes: Int64
        public var objects: Int
        public var direct: Bool

        public init(name: String, bytes: Int64, objects: Int, direct: Bool) {
            self.name = name
            self.bytes = bytes
            self.objects = objects
            self.direct = direct
        }
    }

    /// Bytes and objects of one storage class.
    public struct ClassRow: Sendable, Equatable {
        /// As the listing or report gives it; `unknownClass` when it gives none.
        public var storageClass: String
        public var bytes: Int64
        public var objects: Int

        public init(storageClass: String, bytes: Int64, objects: Int) {
            self.storageClass = storageClass
            self.bytes = bytes
            self.objects = objects
        }
    }

    /// The row of objects whose listing or report names no storage class.
    public static let unknownClass = "(not given)"

    public let prefix: String
    public let byStorageClass: Bool
    /// Without it only the totals and classes are kept: no row per
    /// child prefix, so a prefix of a million children costs no memory.
    public let byChild: Bool
    private var children: [ObjectKey: Row] = [:]
    /// The child prefix added to last, kept out of `children`: keys come in runs of one
    /// child, so most objects are counted with one prefix test, without cutting or hashing.
    private var current: Row?
    /// A handful of classes at most: searched in order, the last one used first.
    private var classes: [ClassRow] = []
    public private(set) var totalBytes: Int64 = 0
    public private(set) var totalObjects = 0

    public init(prefix: String, byStorageClass: Bool = false, byChild: Bool = true) {
        self.prefix = prefix
        self.byStorageClass = byStorageClass
        self.byChild = byChild
    }

    public mutating func add(_ objects: [ObjectSummary]) {
        for o in objects where Self.startsWith(o.key, prefix) {
            totalBytes += o.size
            totalObjects += 1
            if byStorageClass { addClass(o) }
            guard byChild else { continue }
            if var row = current, !row.direct, Self.startsWith(o.key, row.name) {
                row.bytes += o.size
                row.objects += 1
                current = row
                continue
            }
            let rest = o.key.droppingBytePrefix(prefix)
            // Cut at the first "/" byte: a "/" before a combining mark is no character of its own.
            let child = rest.utf8.firstIndex(of: UInt8(ascii: "/"))
                .map { prefix + String(decoding: rest.utf8[...$0], as: UTF8.self) }
            let name = child ?? prefix
            if let row = current { children[ObjectKey(row.name)] = row }
            var row = children.removeValue(forKey: ObjectKey(name))
                ?? Row(name: name, bytes: 0, objects: 0, direct: child == nil)
            row.bytes += o.size
            row.objects += 1
            current = row
        }
    }

    private mutating func addClass(_ o: ObjectSummary) {
        let name = o.storageClass.flatMap { $0.isEmpty ? nil : $0 } ?? Self.unknownClass
        if let i = classes.firstIndex(where: { $0.storageClass.utf8.count == name.utf8.count
                                                && Self.startsWith($0.storageClass, name) }) {
            classes[i].bytes += o.size
            classes[i].objects += 1
            if i > 0 { classes.swapAt(i, 0) }
        } else {
            classes.insert(ClassRow(storageClass: name, bytes: o.size, objects: 1), at: 0)
        }
    }

    /// Biggest first; equal sizes by name.
    public var rows: [Row] {
        (Array(children.values) + (current.map { [$0] } ?? [])).sorted {
            $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name.bytesPrecede($1.name)
        }
    }

    /// Per storage class (with `byStorageClass`), biggest first; equal sizes by name.
    public var classRows: [ClassRow] {
        classes.sorted {
            $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.storageClass.bytesPrecede($1.storageClass)
        }
    }

    /// `hasBytePrefix` through memcmp where the strings are contiguous (native ones are): a
    /// report of 10^7 rows tests every key, and the generic byte comparison costs tens of
    /// nanoseconds more each time.
    @inline(__always)
    static func startsWith(_ s: String, _ p: String) -> Bool {
        let fast = s.utf8.withContiguousStorageIfAvailable { sb in
            p.utf8.withContiguousStorageIfAvailable { pb in
                sb.count >= pb.count && (pb.count == 0 || memcmp(sb.baseAddress!, pb.baseAddress!, pb.count) == 0)
            }
        }
        if let fast, let answer = fast { return answer }
        return s.hasBytePrefix(p)
    }
}
