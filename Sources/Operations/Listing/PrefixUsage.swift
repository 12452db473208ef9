import Foundation
import S3

/// Sizes below a prefix, grouped by child prefix (the next path segment), for `pail du`.
/// Objects directly in the prefix make a row of their own.
public struct PrefixUsage: Sendable {
    public struct Row: Sendable, Equatable {
        /// The child prefix (ending in "/"), or the prefix itself for the objects directly in it.
        public var name: String
        public var bytes: Int64
        public var objects: Int
        public var direct: Bool
    }

    public let prefix: String
    private var children: [ObjectKey: Row] = [:]
    /// The child prefix added to last, kept out of `children`: keys come in runs of one
    /// child, so most objects are counted with one prefix test, without cutting or hashing.
    private var current: Row?
    public private(set) var totalBytes: Int64 = 0
    public private(set) var totalObjects = 0

    public init(prefix: String) { self.prefix = prefix }

    public mutating func add(_ objects: [ObjectSummary]) {
        for o in objects where o.key.hasBytePrefix(prefix) {
            totalBytes += o.size
            totalObjects += 1
            if var row = current, !row.direct, o.key.hasBytePrefix(row.name) {
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

    /// Biggest first; equal sizes by name.
    public var rows: [Row] {
        (Array(children.values) + (current.map { [$0] } ?? [])).sorted {
            $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name.bytesPrecede($1.name)
        }
    }
}
