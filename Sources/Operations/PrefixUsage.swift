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
    private var children: [String: Row] = [:]
    public private(set) var totalBytes: Int64 = 0
    public private(set) var totalObjects = 0

    public init(prefix: String) { self.prefix = prefix }

    public mutating func add(_ objects: [ObjectSummary]) {
        for o in objects where o.key.hasPrefix(prefix) {
            let rest = o.key.dropFirst(prefix.count)
            let child = rest.firstIndex(of: "/").map { prefix + rest[...$0] }
            let name = child ?? prefix
            var row = children[name] ?? Row(name: name, bytes: 0, objects: 0, direct: child == nil)
            row.bytes += o.size
            row.objects += 1
            children[name] = row
            totalBytes += o.size
            totalObjects += 1
        }
    }

    /// Biggest first; equal sizes by name.
    public var rows: [Row] {
        children.values.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name < $1.name }
    }
}
