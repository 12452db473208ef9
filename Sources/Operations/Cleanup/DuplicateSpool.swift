import Foundation
import S3

/// `pail dupes` over a listing of any size: what `DuplicateFinder` finds, in the same order,
/// with memory bounded by the sorter's runs instead of the objects listed (the finder held about
/// 600 bytes an object: 124 MiB at 200,000 keys). Every object is a line of an `ExternalSorter`
/// laid out so that byte order groups equal content (size, then lower-case ETag) and, within a
/// group, puts the one to keep first (`DuplicateFinder.keepFirstOrder`'s order). The sorted
/// groups of two or more are written to a second spool, and a line per group, laid out to sort
/// by the bytes it frees (most first, then its first key), goes to a second sorter; printing
/// follows that order, reading each group back from the spool.
public final class DuplicateSpool {
    public struct Group: Sendable {
        public var size: Int64
        public var etag: String
        public var count: Int
        public var isMultipartETag: Bool { !ETag.isPlainMD5(etag) }
        /// Bytes freed by deleting all but the first (saturated: sizes times counts from a
        /// server must not overflow).
        public var reclaimable: Int64 { DuplicateSpool.product(size, count - 1) }
    }

    public struct Totals: Sendable {
        public var groups = 0
        public var duplicates = 0
        public var bytes: Int64 = 0
    }

    private let objects: ExternalSorter
    public private(set) var scanned = 0

    public init(runBytes: Int = 8 << 20) {
        objects = ExternalSorter(name: "dupes", holding: "the objects listed", runBytes: runBytes)
    }

    public func add(_ listed: [ObjectSummary]) throws {
        for o in listed {
            scanned += 1
            guard o.size > 0, !o.etag.isEmpty, o.key.utf8.last != UInt8(ascii: "/") else { continue }
            try objects.add(Self.line(o))
        }
    }

    /// Calls `group` for each group, most bytes to free first, then `object` for each of its
    /// objects, the one to keep first.
    public func groups(_ group: (Group) throws -> Void, object: (ObjectSummary) throws -> Void) throws -> Totals {
        let members = try SpoolFile(name: "dupes", holding: "the groups found")
        let order = ExternalSorter(name: "dupes", holding: "the groups found")
        var totals = Totals()
        // The group being read: its first line waits in memory until a second one comes, so
        // objects without a twin (most of them) never reach the spool.
        var current: (content: ArraySlice<UInt8>, start: off_t, count: Int, first: [UInt8])?
        func close() throws {
            guard let c = current, c.count > 1 else { return }
            let g = try Self.group(c.content, count: c.count)
            totals.groups += 1
            totals.duplicates += c.count - 1
            totals.bytes = Self.sum(totals.bytes, g.reclaimable)
            var line = Self.fixedHex(UInt64(Int64.max - g.reclaimable))
            line += Self.key(of: c.first)
            line.append(UInt8(ascii: " "))
            line += Self.fixedHex(UInt64(c.start)) + Self.fixedHex(UInt64(members.size))
                + Self.fixedHex(UInt64(c.count))
            try order.add(line)
        }
        try objects.sorted { line in
            let content = Self.content(of: line)
            if let c = current, c.content == content {
                if c.count == 1 {
                    current?.start = members.size
                    try members.append(c.first)
                }
                current?.count += 1
                try members.append(line)
            } else {
                try close()
                current = (content, 0, 1, line)
            }
        }
        try close()
        try order.sorted { line in
            let tail = line.suffix(48)
            guard let start = SpoolFile.number(tail.prefix(16)),
                  let end = SpoolFile.number(tail.dropFirst(16).prefix(16)),
                  let count = SpoolFile.number(tail.suffix(16)), start <= end else { throw Self.damaged }
            let reader = try members.reader(off_t(start)..<off_t(end))
            guard let first = try reader.next() else { throw Self.damaged }
            try group(try Self.group(Self.content(of: first), count: Int(count)))
            try object(try Self.object(first))
            while let member = try reader.next() { try object(try Self.object(member)) }
        }
        return totals
    }

    static let damaged = S3Error.local("the duplicates' temporary file is damaged")

    // MARK: - Lines

    /// size (16 hex) · lower-case ETag (hex) · " " · date (16 hex, sortable bits; unknown last)
    /// · "0" for an original or "1" for Django's rename · key (hex) · " " · ETag as listed (hex)
    /// · " " · storage class ("-" when none, else hex).
    static func line(_ o: ObjectSummary) -> [UInt8] {
        var line = fixedHex(UInt64(o.size))
        SpoolFile.hex(o.etag.lowercased(), into: &line)
        line.append(UInt8(ascii: " "))
        line += fixedHex(o.lastModified.map { sortable($0.timeIntervalSince1970) } ?? UInt64.max)
        line.append(DuplicateFinder.djangoOriginal(of: o.key) == nil ? UInt8(ascii: "0") : UInt8(ascii: "1"))
        SpoolFile.hex(o.key, into: &line)
        line.append(UInt8(ascii: " "))
        SpoolFile.hex(o.etag, into: &line)
        line.append(UInt8(ascii: " "))
        if let c = o.storageClass { SpoolFile.hex(c, into: &line) } else { line.append(UInt8(ascii: "-")) }
        return line
    }

    /// What makes two objects alike: the line up to its first space.
    static func content(of line: [UInt8]) -> ArraySlice<UInt8> {
        line[..<(line.firstIndex(of: UInt8(ascii: " ")) ?? line.endIndex)]
    }

    /// The key field of an object's line, as hex.
    static func key(of line: [UInt8]) -> [UInt8] {
        let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard fields.count == 4, fields[1].count >= 17 else { return [] }
        return Array(fields[1].dropFirst(17))
    }

    static func group(_ content: ArraySlice<UInt8>, count: Int) throws -> Group {
        guard content.count >= 16, let size = SpoolFile.number(content.prefix(16)), size <= UInt64(Int64.max),
              let etag = SpoolFile.unhex(content.dropFirst(16)) else { throw damaged }
        return Group(size: Int64(size), etag: etag, count: count)
    }

    static func object(_ line: [UInt8]) throws -> ObjectSummary {
        let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0].count >= 16, fields[1].count >= 17,
              let size = SpoolFile.number(fields[0].prefix(16)), size <= UInt64(Int64.max),
              let bits = SpoolFile.number(fields[1].prefix(16)),
              let key = SpoolFile.unhex(fields[1].dropFirst(17)), let etag = SpoolFile.unhex(fields[2]) else {
            throw damaged
        }
        let storageClass = fields[3] == [UInt8(ascii: "-")] ? nil : SpoolFile.unhex(fields[3])
        let date = bits == UInt64.max ? nil : Date(timeIntervalSince1970: unsortable(bits))
        return ObjectSummary(key: key, size: Int64(size), lastModified: date, etag: etag, storageClass: storageClass)
    }

    // MARK: - Numbers

    static func fixedHex(_ v: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        SpoolFile.hex(v, into: &out)
        return out
    }

    /// A Double's bits laid out so that unsigned order is numeric order (negative dates too).
    static func sortable(_ d: Double) -> UInt64 {
        let bits = d.bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    static func unsortable(_ v: UInt64) -> Double {
        Double(bitPattern: v >> 63 == 1 ? v & ~(1 << 63) : ~v)
    }

    static func product(_ size: Int64, _ times: Int) -> Int64 {
        let (p, overflow) = size.multipliedReportingOverflow(by: Int64(max(0, times)))
        return overflow ? Int64.max : p
    }

    static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : s
    }
}
