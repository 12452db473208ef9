import Foundation
import S3

/// One S3 Inventory report, found under a configuration's folder in the destination bucket
/// (`s3://dest/prefix/SOURCE-BUCKET/CONFIG-ID/`), its manifest read and checked, ready to be
/// read row by row in place of a listing.
///
/// What is checked, and what happens otherwise: `manifest.json` must match the MD5 in
/// `manifest.checksum`, be CSV, and name data files inside the configuration's folder (else
/// an error before anything is read); each data file must match its size and MD5 and be whole
/// gzip (else an error, after the rows read so far were handed on: the data is streamed, so
/// the check can only end it). Rows with the wrong number of fields, broken quoting, a key
/// that does not URL-decode exactly, an unreadable size or another bucket's name are dropped
/// with one warning for the report.
public final class InventoryReport {
    public let client: S3Client
    public let bucket: String
    /// The configuration's folder, ending in "/".
    public let root: String
    /// The report's folder name, `YYYY-MM-DDTHH-MMZ` (when AWS began the report, UTC).
    public let timestamp: String
    public let manifest: InventoryManifest
    /// Rows per batch handed to `emit`.
    public static let batch = 1000

    /// `s3://bucket/root/` for messages.
    public var rootURI: String { "s3://\(bucket)/\(root)" }
    /// "2016-11-06 21:32 UTC", for a title or a heading.
    public var dateText: String { Self.dateText(timestamp) }

    init(client: S3Client, bucket: String, root: String, timestamp: String, manifest: InventoryManifest) {
        self.client = client
        self.bucket = bucket
        self.root = root
        self.timestamp = timestamp
        self.manifest = manifest
    }

    // MARK: Finding reports

    /// Splits `s3://dest/prefix/source/config/` (or a report's own folder below it) into the
    /// destination bucket, the configuration's folder and the report named, if any.
    public static func locate(_ text: String) throws -> (bucket: String, root: String, timestamp: String?) {
        let uri = try S3URI(parsing: text)
        var key = uri.key
        if key.utf8.last == UInt8(ascii: "/") { key = String(key.utf8.dropLast())! }
        if key.hasSuffix("/manifest.json") { key = String(key.utf8.dropLast("/manifest.json".utf8.count))! }
        guard !key.isEmpty else {
            throw S3Error.local("--inventory wants the inventory configuration's folder, "
                                + "s3://DEST-BUCKET/[PREFIX/]SOURCE-BUCKET/CONFIG-ID/")
        }
        let segments = key.byteSegments()
        if let last = segments.last, isTimestamp(last), segments.count > 1 {
            return (uri.bucket, segments.dropLast().joined(separator: "/") + "/", last)
        }
        return (uri.bucket, key + "/", nil)
    }

    /// The reports under a configuration's folder, oldest first (their names sort by time).
    public static func reports(client: S3Client, bucket: String, root: String,
                               cancel: CancellationFlag? = nil) throws -> [String] {
        var found: [String] = []
        try client.listAllPages(bucket: bucket, prefix: root, delimiter: "/", cancel: cancel) { page in
            for p in page.commonPrefixes {
                let name = String(p.droppingBytePrefix(root).utf8.dropLast())!
                if isTimestamp(name) { found.append(name) }
            }
            return true
        }
        return found.sorted { $0.bytesPrecede($1) }
    }

    /// Opens the latest report, or the latest of `date` (YYYY-MM-DD, or a report's full
    /// YYYY-MM-DDTHH-MMZ name), and checks its manifest.
    public static func open(client: S3Client, uri: String, date: String? = nil,
                            cancel: CancellationFlag? = nil) throws -> InventoryReport {
        let place = try locate(uri)
        let rootURI = "s3://\(place.bucket)/\(place.root)"
        if let date, !(isDate(date) || isTimestamp(date)) {
            throw S3Error.local("--inventory-date wants YYYY-MM-DD (or a report's YYYY-MM-DDTHH-MMZ), not "
                                + "\(String(date.prefix(40)))")
        }
        let chosen: String
        if let named = place.timestamp, date == nil {
            chosen = named
        } else {
            let all = try reports(client: client, bucket: place.bucket, root: place.root, cancel: cancel)
            guard !all.isEmpty else {
                throw S3Error.local("no inventory report under \(rootURI) (expected folders named "
                                    + "YYYY-MM-DDTHH-MMZ holding manifest.json)")
            }
            if let date {
                guard let match = all.last(where: { $0.hasBytePrefix(date) }) else {
                    let recent = all.suffix(5).map(dateText).joined(separator: ", ")
                    throw S3Error.local("no inventory report of \(date) under \(rootURI); the latest: \(recent)")
                }
                chosen = match
            } else {
                chosen = all[all.count - 1]
            }
        }
        let folder = place.root + chosen + "/"
        let manifestKey = folder + "manifest.json"
        let body = DataSink(limit: 64 << 20)
        _ = try client.getObject(bucket: place.bucket, key: manifestKey, sink: body, cancel: cancel)
        let checksum = DataSink(limit: 4096)
        _ = try client.getObject(bucket: place.bucket, key: folder + "manifest.checksum", sink: checksum,
                                 cancel: cancel)
        let expected = String(decoding: checksum.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let actual = Digest.md5(body.data).hex
        guard expected.lowercased() == actual else {
            throw S3Error.serverFault("s3://\(place.bucket)/\(manifestKey) does not match its manifest.checksum "
                                      + "(MD5 \(actual), checksum \(String(expected.prefix(40)))); not reading it")
        }
        let manifest = try InventoryManifest.parse(body.data, what: "s3://\(place.bucket)/\(manifestKey)")
        guard manifest.fileFormat.uppercased() == InventoryManifest.supportedFormat else {
            throw S3Error.local("the inventory report \(rootURI)\(chosen)/ is in \(manifest.fileFormat.prefix(20)); "
                                + "pail reads CSV reports only (set the configuration's format to CSV)")
        }
        for file in manifest.files where !file.key.hasBytePrefix(place.root) {
            let named = TerminalSafe.escape(String(file.key.prefix(100)))
            throw S3Error.serverFault("the manifest of \(rootURI)\(chosen)/ names a data file outside the "
                                      + "configuration's folder (\(named)); not reading it")
        }
        return InventoryReport(client: client, bucket: place.bucket, root: place.root, timestamp: chosen,
                               manifest: manifest)
    }

    // MARK: Reading

    /// Hands over, in batches, the current objects of `sourceBucket` whose keys begin with
    /// `prefix` (bytes), in the report's order (not key order: sorting would hold it all).
    /// Delete markers and noncurrent versions of a versioned report are left out, as a
    /// listing leaves them out.
    public func read(sourceBucket: String, prefix: String, needs: ObjectFields = .all, cancel: CancellationFlag? = nil,
                     emit: @escaping ([ObjectSummary]) throws -> Void) throws {
        guard sourceBucket.bytesEqual(manifest.sourceBucket) else {
            throw S3Error.local("the inventory \(rootURI) lists bucket \(manifest.sourceBucket), "
                                + "not \(sourceBucket)")
        }
        let columns = try InventoryColumns(fields: manifest.fields,
                                           what: "the inventory report \(rootURI)\(timestamp)/")
        let drops = InventoryRowFilter.Drops()
        for file in manifest.files {
            if cancel?.isCancelled == true { throw S3Error.cancelled }
            let what = "s3://\(bucket)/\(file.key)"
            let filter = InventoryRowFilter(columns: columns, sourceBucket: sourceBucket, prefix: prefix,
                                            file: file.key, drops: drops, needs: needs, emit: emit)
            let sink = try InventoryDataSink(file: file, what: what, filter: filter)
            do {
                _ = try client.getObject(bucket: bucket, key: file.key, sink: sink, cancel: cancel)
            } catch {
                // The transport reports a sink's error in its own words: give back pail's.
                if let own = sink.failure { throw own }
                throw error
            }
            if let own = sink.failure { throw own }
            try sink.check()
            try filter.flush()
        }
        if let warning = drops.warning { client.warn?(warning) }
    }

    // MARK: Names

    /// `YYYY-MM-DDTHH-MMZ`.
    static func isTimestamp(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 17 else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
        return digits.allSatisfy { b[$0] >= 0x30 && b[$0] <= 0x39 } && b[4] == 0x2D && b[7] == 0x2D
            && b[10] == UInt8(ascii: "T") && b[13] == 0x2D && b[16] == UInt8(ascii: "Z")
    }

    static func isDate(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 10 else { return false }
        return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { b[$0] >= 0x30 && b[$0] <= 0x39 } && b[4] == 0x2D && b[7] == 0x2D
    }

    /// "2016-11-06T21-32Z" as "2016-11-06 21:32 UTC".
    public static func dateText(_ timestamp: String) -> String {
        guard isTimestamp(timestamp) else { return timestamp }
        let b = Array(timestamp.utf8)
        return String(decoding: b[0..<10], as: UTF8.self) + " " + String(decoding: b[11..<13], as: UTF8.self) + ":"
            + String(decoding: b[14..<16], as: UTF8.self) + " UTC"
    }
}
