import Foundation
import S3

/// Objects below a prefix that hold the same bytes: the same size and ETag. A plain ETag is
/// the MD5 of the bytes; a multipart ETag only matches another uploaded with the same part
/// layout, so copies uploaded differently are not found (the group says which kind it is).
/// Empty objects and folder markers are left out: they are all alike and free.
public struct DuplicateFinder: Sendable {
    public struct Group: Sendable {
        public var size: Int64
        public var etag: String
        /// Oldest first; the first is the one to keep.
        public var objects: [ObjectSummary]
        public var isMultipartETag: Bool { !ETag.isPlainMD5(etag) }
        /// Bytes freed by deleting all but the first.
        public var reclaimable: Int64 { DuplicateSpool.product(size, objects.count - 1) }
    }

    private struct Content: Hashable {
        var size: Int64
        var etag: String
    }

    // One entry per distinct content seen: what this costs grows with the objects listed,
    // about 100 bytes each (see docs/decisions.md).
    private var byContent: [Content: [ObjectSummary]] = [:]
    public private(set) var scanned = 0

    public init() {}

    public mutating func add(_ objects: [ObjectSummary]) {
        for o in objects {
            scanned += 1
            guard o.size > 0, !o.etag.isEmpty, o.key.utf8.last != UInt8(ascii: "/") else { continue }
            byContent[Content(size: o.size, etag: o.etag.lowercased()), default: []].append(o)
        }
    }

    /// Groups of two or more, the most bytes to free first.
    public var groups: [Group] {
        byContent.compactMap { content, objects -> Group? in
            guard objects.count > 1 else { return nil }
            return Group(size: content.size, etag: content.etag, objects: Self.keepFirstOrder(objects))
        }.sorted {
            $0.reclaimable != $1.reclaimable ? $0.reclaimable > $1.reclaimable
                : $0.objects[0].key.bytesPrecede($1.objects[0].key)
        }
    }

    /// Oldest first; at the same time an original before Django's renamed copy, then by key.
    /// Each key's rename test is made once, not in every
    /// comparison: a group of 20,000 copies makes some 300,000 comparisons.
    static func keepFirstOrder(_ objects: [ObjectSummary]) -> [ObjectSummary] {
        objects.map { ($0, djangoOriginal(of: $0.key) != nil) }
            .sorted { a, b in
                let ta = a.0.lastModified ?? .distantFuture, tb = b.0.lastModified ?? .distantFuture
                if ta != tb { return ta < tb }
                if a.1 != b.1 { return !a.1 }
                return a.0.key.bytesPrecede(b.0.key)
            }
            .map(\.0)
    }

    /// When a name is taken, Django's storage saves `photo.jpg` as `photo_AbC1234.jpg`: an
    /// underscore and seven ASCII letters or digits before the extension. The key of the name
    /// it stands in for, or nil.
    public static func djangoOriginal(of key: String) -> String? {
        let bytes = Array(key.utf8)
        let nameStart = (bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        var dot = bytes.count
        if let d = bytes[nameStart...].lastIndex(of: UInt8(ascii: ".")), d > nameStart { dot = d }
        let suffixStart = dot - 8
        guard suffixStart > nameStart, bytes[suffixStart] == UInt8(ascii: "_") else { return nil }
        let random = bytes[(suffixStart + 1)..<dot]
        guard random.allSatisfy({
            (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0)
        }) else { return nil }
        return String(decoding: bytes[..<suffixStart] + bytes[dot...], as: UTF8.self)
    }
}
