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
    let prefix: String
    let file: String
    let drops: Drops
    let emit: ([ObjectSummary]) throws -> Void
    /// Records to pass over: handed on before a retry started the file again.
    private var skip = 0
    private var seen = 0
    /// Records whose objects were handed on.
    private var committed = 0
    private var pending: [ObjectSummary] = []

    init(columns: InventoryColumns, sourceBucket: String, prefix: String, file: String, drops: Drops,
         emit: @escaping ([ObjectSummary]) throws -> Void) {
        self.columns = columns
        self.sourceBucket = sourceBucket
        self.prefix = prefix
        self.file = file
        self.drops = drops
        self.emit = emit
        pending.reserveCapacity(InventoryReport.batch)
    }

    /// The file starts again (a retried GET): what was handed on is not handed on twice,
    /// what was still pending is read again.
    func restart() {
        skip = max(skip, committed)
        pending.removeAll(keepingCapacity: true)
        seen = 0
    }

    func record(_ fields: [String], wellFormed: Bool) throws {
        seen += 1
        if seen <= skip { return }
        // Named only for the warning's first drop: building the text for every row costs.
        let here = { "\(TerminalSafe.escape(String(self.file.suffix(80)))) record \(self.seen)" }
        guard wellFormed, fields.count == columns.count else {
            drops.malformed += 1; drops.note(here); return
        }
        guard fields[columns.bucket].bytesEqual(sourceBucket) else { drops.otherBucket += 1; drops.note(here); return }
        // A listing shows the current version of each object, and no delete markers.
        if let i = columns.isDeleteMarker, fields[i] == "true" { return }
        if let i = columns.isLatest, fields[i] == "false" { return }
        // AWS writes keys form-encoded: "+" for a space, "%2B" for a plus.
        guard let key = URIEncoding.decodeExactly(fields[columns.key], plusIsSpace: true), !key.isEmpty else {
            drops.undecodable += 1; drops.note(here); return
        }
        guard key.hasBytePrefix(prefix) else { return }
        guard let size = Int64(fields[columns.size]), size >= 0 else { drops.badSize += 1; drops.note(here); return }
        let modified = columns.lastModified.flatMap { Timestamps.parseISO8601(fields[$0]) }
        let etag = columns.etag.map { fields[$0] } ?? ""
        let storageClass = columns.storageClass.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        pending.append(ObjectSummary(key: key, size: size, lastModified: modified, etag: etag,
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
}
