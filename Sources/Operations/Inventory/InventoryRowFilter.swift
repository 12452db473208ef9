import Foundation
import S3

/// Turns inventory CSV records into objects of the asked bucket and prefix, batching them,
/// and counts what it drops (one warning per report, not one per row).
final class InventoryRowFilter {
    /// Drop counts shared by the files of one report.
    final class Drops {
        var malformed = 0, undecodable = 0, otherBucket = 0, badSize = 0
        var first: String?

        func note(_ where_: () -> String) { if first == nil { first = where_() } }

        var warning: String? {
            let total = malformed + undecodable + otherBucket + badSize
            guard total > 0 else { return nil }
            var parts: [String] = []
            if malformed > 0 { parts.append("\(malformed) malformed (wrong field count, quoting or UTF-8)") }
            if undecodable > 0 { parts.append("\(undecodable) with a key that does not URL-decode exactly") }
            if otherBucket > 0 { parts.append("\(otherBucket) of another bucket") }
            if badSize > 0 { parts.append("\(badSize) without a valid size") }
            return "dropped \(total) inventory row\(total == 1 ? "" : "s"): " + parts.joined(separator: ", ")
                + " (first at \(first ?? "?"))"
        }
    }

    let columns: InventoryColumns
    let sourceBucket: String
    let prefix: [UInt8]
    let file: String
    let drops: Drops
    let needs: ObjectFields
    let emit: ([ObjectSummary]) throws -> Void
    /// Records to pass over: handed on before a retry started the file again.
    private var skip = 0
    private var seen = 0
    /// Records whose objects were handed on.
    private var committed = 0
    private var pending: [ObjectSummary] = []
    /// The URL-decoded key of the row being read, reused row after row (a record is at most
    /// `CSVRecordReader.longestRecord` bytes, and decoding only shortens).
    private var key: UnsafeMutablePointer<UInt8>
    private var keyCapacity = 1024
    /// Storage classes are a handful of names: each is made a String once, not once a row.
    private var classes: [([UInt8], String)] = []

    init(columns: InventoryColumns, sourceBucket: String, prefix: String, file: String, drops: Drops,
         needs: ObjectFields = .all, emit: @escaping ([ObjectSummary]) throws -> Void) {
        self.columns = columns
        self.sourceBucket = sourceBucket
        self.prefix = Array(prefix.utf8)
        self.file = file
        self.drops = drops
        self.needs = needs
        self.emit = emit
        pending.reserveCapacity(InventoryReport.batch)
        key = .allocate(capacity: keyCapacity)
    }

    deinit { key.deallocate() }

    /// The file starts again (a retried GET): what was handed on is not handed on twice,
    /// what was still pending is read again.
    func restart() {
        skip = max(skip, committed)
        pending.removeAll(keepingCapacity: true)
        seen = 0
    }

    func record(_ row: CSVRecord) throws {
        seen += 1
        if seen <= skip { return }
        guard row.wellFormed, row.count == columns.count else {
            drops.malformed += 1; noteDrop(); return
        }
        guard Self.equal(row.field(columns.bucket), sourceBucket) else {
            drops.otherBucket += 1; noteDrop(); return
        }
        // A listing shows the current version of each object, and no delete markers.
        if let i = columns.isDeleteMarker, row.field(i, equals: "true") { return }
        if let i = columns.isLatest, row.field(i, equals: "false") { return }
        // AWS writes keys form-encoded: "+" for a space, "%2B" for a plus, "%2F" for "/".
        let field = row.field(columns.key)
        if field.count > keyCapacity {
            key.deallocate()
            keyCapacity = field.count
            key = .allocate(capacity: keyCapacity)
        }
        let (decoded, length) = Self.formDecode(field, into: key)
        switch decoded {
        case .notUTF8: drops.malformed += 1; noteDrop(); return
        case .bad: drops.undecodable += 1; noteDrop(); return
        case .ascii, .utf8: break
        }
        guard length > 0 else { drops.undecodable += 1; noteDrop(); return }
        let bytes = UnsafeBufferPointer(start: key, count: length)
        // Before the key becomes a String: most rows of a big report may lie outside the prefix.
        guard Self.starts(bytes, with: prefix) else { return }
        guard let size = Self.parseSize(row.field(columns.size)) else {
            drops.badSize += 1; noteDrop(); return
        }
        // Decoded exactly; UTF-8 checked here, so no byte is replaced by U+FFFD.
        let text: String
        if decoded == .ascii {
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            guard let valid = CSVRecord.utf8String(bytes) else { drops.undecodable += 1; noteDrop(); return }
            text = valid
        }
        let modified = needs.contains(.modified)
            ? columns.lastModified.flatMap { Timestamps.parseISO8601(bytes: row.field($0)) } : nil
        let etag = needs.contains(.etag) ? columns.etag.flatMap { row.string($0) } ?? "" : ""
        let storageClass = needs.contains(.storageClass)
            ? columns.storageClass.flatMap { storageClassName(row.field($0)) } : nil
        pending.append(ObjectSummary(key: text, size: size, lastModified: modified, etag: etag,
                                     storageClass: storageClass))
        if pending.count >= InventoryReport.batch { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty else { committed = seen; return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        committed = seen
        try emit(batch)
    }

    /// Names the first dropped row, for the warning (not built for every row: it costs).
    private func noteDrop() {
        drops.note { "\(TerminalSafe.escape(String(self.file.suffix(80)))) record \(self.seen)" }
    }

    private func storageClassName(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.isEmpty else { return nil }
        for (known, name) in classes where known.count == bytes.count
            && known.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) }) == 0 {
            return name
        }
        guard let name = CSVRecord.utf8String(bytes) else { return nil }
        // A hostile report could name a new class on every row: keep only the first few.
        if classes.count < 32 { classes.append((Array(bytes), name)) }
        return name
    }

    // MARK: Fields from bytes

    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.count == bytes.count && starts(bytes, with: $0) }
    }

    @inline(__always)
    static func starts(_ bytes: UnsafeBufferPointer<UInt8>, with prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= prefix.count && (prefix.count == 0 || memcmp(bytes.baseAddress!, prefix.baseAddress!,
                                                                    prefix.count) == 0)
    }

    @inline(__always)
    static func starts(_ bytes: UnsafeBufferPointer<UInt8>, with prefix: [UInt8]) -> Bool {
        prefix.withUnsafeBufferPointer { starts(bytes, with: $0) }
    }

    enum Decoded { case ascii, utf8, bad, notUTF8 }

    /// Form decoding ("%XX" a byte, "+" a space) into `out` (room for `field.count` bytes),
    /// and the decoded length. `.bad` for a "%" not followed by two hex digits; `.notUTF8`
    /// when the field itself holds bytes that are not UTF-8; `.ascii` when the decoded key is
    /// (else the caller checks its UTF-8 when it makes the String).
    static func formDecode(_ field: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>)
        -> (Decoded, Int) {
        var rawHigh = false, high = false
        var i = 0, o = 0
        let n = field.count
        while i < n {
            let b = field[i]
            if b == 0x25 {
                guard i + 2 < n, let hi = URIEncoding.hexValue(field[i + 1]),
                      let lo = URIEncoding.hexValue(field[i + 2]) else {
                    return (.bad, 0)
                }
                let v = hi << 4 | lo
                if v >= 0x80 { high = true }
                out[o] = v
                i += 3
            } else {
                if b >= 0x80 { rawHigh = true }
                out[o] = b == 0x2B ? 0x20 : b
                i += 1
            }
            o += 1
        }
        if rawHigh && CSVRecord.utf8String(field) == nil { return (.notUTF8, 0) }
        return (high || rawHigh ? .utf8 : .ascii, o)
    }

    /// Decimal digits only, at most Int64.max.
    static func parseSize(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !field.isEmpty, field.count <= 19 else { return nil }
        var v: Int64 = 0
        for c in field {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }
}
