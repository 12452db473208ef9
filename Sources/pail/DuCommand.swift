import ArgumentParser
import Foundation
import Operations
import S3

/// `pail du`: what a prefix holds, per child prefix (or per storage class), biggest first,
/// for finding what to clean; and the incomplete multipart uploads there, which no listing
/// shows but which are stored and billed.
struct DuCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "du",
        abstract: "Total size and object count below a prefix, and of each child prefix, biggest first.")

    @OptionGroup var global: GlobalOptionGroup
    @OptionGroup var inventory: InventoryOptions

    @Flag(help: ArgumentHelp("Print JSON Lines: prefix, size, objects (\"direct\": true for the objects directly in "
                             + "the prefix; with --by-storage-class storage_class, size, objects; the total last, "
                             + "with \"total\": true and incomplete_uploads when there are any)."))
    var json = false

    @Flag(help: "Sizes and object counts per storage class instead of per child prefix.")
    var byStorageClass = false

    @Argument(help: "s3://bucket[/prefix/]")
    var target: String

    /// Uploads are counted up to this many (a page or so of ListMultipartUploads)...
    static let uploadsCounted = 1000
    /// ...and measured (one ListParts each) up to this many; beyond, `pail uploads` measures.
    static let uploadsMeasured = 20

    func run() throws {
        try runReportingErrors {
            let found = try FinderTarget(target, global: global, inventory: inventory)
            let (bucket, prefix, client, source) = (found.bucket, found.prefix, found.client, found.source)
            var usage = PrefixUsage(prefix: prefix, byStorageClass: byStorageClass)
            if byStorageClass, case .inventory(let report) = source,
               !report.manifest.fields.contains(where: { $0.caseInsensitiveCompare("StorageClass") == .orderedSame }) {
                throw S3Error.local("the inventory report \(report.rootURI)\(report.timestamp)/ has no StorageClass "
                                    + "field, which --by-storage-class needs (add it to the configuration's fields)")
            }
            // Totals need no order: pages are added as they come, from every chain at once.
            let progress = Progress("listed")
            defer { progress.finish() }
            try source.list(bucket: bucket, prefix: prefix, ordered: false,
                            needs: byStorageClass ? [.storageClass] : []) {
                usage.add($0)
                progress.add($0)
            }
            progress.finish()
            let uploads = Self.incompleteUploads(client: client, bucket: bucket, prefix: prefix)
            let out = StandardOutput.shared
            let bucketURI = "s3://\(TerminalSafe.escape(bucket))/"
            let here = bucketURI + TerminalSafe.escape(prefix)
            if byStorageClass {
                for row in usage.classRows {
                    if json {
                        var j = JSONWriter()
                        j.field("storage_class", row.storageClass)
                        j.field("size", row.bytes)
                        j.field("objects", Int64(row.objects))
                        out.write(j.line)
                    } else {
                        out.write(Self.line(row.bytes, row.objects, TerminalSafe.escape(row.storageClass)))
                    }
                }
            } else {
                for row in usage.rows {
                    if json {
                        var j = JSONWriter()
                        j.field("prefix", row.name)
                        j.field("size", row.bytes)
                        j.field("objects", Int64(row.objects))
                        if row.direct { j.field("direct", true) }
                        out.write(j.line)
                    } else {
                        let name = bucketURI + TerminalSafe.escape(row.name)
                            + (row.direct ? " (objects directly here)" : "")
                        out.write(Self.line(row.bytes, row.objects, name))
                    }
                }
            }
            if json {
                var j = JSONWriter()
                j.field("prefix", prefix)
                j.field("size", usage.totalBytes)
                j.field("objects", Int64(usage.totalObjects))
                j.field("total", true)
                // Only when there are some: the total line of a prefix without any stays as it was.
                if let uploads, uploads.count > 0 {
                    j.field("incomplete_uploads", Int64(uploads.count))
                    if uploads.count >= Self.uploadsCounted { j.field("incomplete_uploads_at_least", true) }
                    if let size = uploads.size { j.field("incomplete_uploads_size", size) }
                }
                out.write(j.line)
            } else {
                out.write(Self.line(usage.totalBytes, usage.totalObjects, "total " + here))
            }
            if let uploads, uploads.count > 0 {
                out.flush()
                StandardError.write("pail: " + Self.uploadsNote(uploads, uri: here) + "\n")
            }
        }
    }

    /// "3 incomplete multipart uploads below s3://b/p/ (12.0 MiB, not counted above): `pail uploads s3://b/p/`
    /// lists them".
    static func uploadsNote(_ u: (count: Int, size: Int64?), uri: String) -> String {
        let count = u.count >= uploadsCounted ? "\(u.count) or more" : "\(u.count)"
        let size = u.size.map { "\(ByteCount.format($0)), " } ?? ""
        return "\(count) incomplete multipart upload\(u.count == 1 ? "" : "s") below \(uri) (\(size)not counted "
            + "above): `pail uploads \(uri)` lists them"
    }

    /// The incomplete uploads below the prefix: how many (up to `uploadsCounted`) and, when
    /// there are few, their size. Nil when the server does not list them (no such call, or
    /// the key may not): du's answer stands without it, so nothing is said.
    static func incompleteUploads(client: S3Client, bucket: String, prefix: String) -> (count: Int, size: Int64?)? {
        guard let uploads = try? client.listMultipartUploads(bucket: bucket, prefix: prefix, limit: uploadsCounted)
        else { return nil }
        if uploads.isEmpty { return (0, 0) }
        guard uploads.count <= uploadsMeasured else { return (uploads.count, nil) }
        var size: Int64 = 0
        for u in uploads {
            guard let parts = try? client.listParts(bucket: bucket, key: u.key, uploadId: u.uploadId) else {
                return (uploads.count, nil)
            }
            size += parts.reduce(0) { $0 + $1.size }
        }
        return (uploads.count, size)
    }

    static func line(_ bytes: Int64, _ objects: Int, _ name: String) -> String {
        let size = ByteCount.format(bytes)
        let count = "\(objects) object\(objects == 1 ? "" : "s")"
        return String(repeating: " ", count: max(0, 10 - size.count)) + size + "  "
            + String(repeating: " ", count: max(0, 16 - count.count)) + count + "  " + name + "\n"
    }
}
