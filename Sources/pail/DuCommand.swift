import ArgumentParser
import Foundation
import Operations
import S3

/// `pail du`: what a prefix holds, per child prefix, biggest first, for finding what to clean.
struct DuCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "du",
        abstract: "Total size and object count below a prefix, and of each child prefix, biggest first.")

    @OptionGroup var global: GlobalOptionGroup
    @OptionGroup var inventory: InventoryOptions

    @Flag(help: "Print JSON Lines: prefix, size, objects (\"direct\": true for the objects directly in the prefix; the total last, with \"total\": true).")
    var json = false

    @Argument(help: "s3://bucket[/prefix/]")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            let prefix = S3URI.boundedPrefix(uri.key)
            let client = try global.makeClient()
            var usage = PrefixUsage(prefix: prefix)
            // Totals need no order: pages are added as they come, from every chain at once.
            let progress = Progress("listed")
            defer { progress.finish() }
            try inventory.source(client: client).list(bucket: uri.bucket, prefix: prefix, ordered: false) {
                usage.add($0)
                progress.add($0)
            }
            progress.finish()
            let out = StandardOutput.shared
            for row in usage.rows {
                if json {
                    var j = JSONWriter()
                    j.field("prefix", row.name)
                    j.field("size", row.bytes)
                    j.field("objects", Int64(row.objects))
                    if row.direct { j.field("direct", true) }
                    out.write(j.line)
                } else {
                    let name = "s3://\(uri.bucket)/" + TerminalSafe.escape(row.name) + (row.direct ? " (objects directly here)" : "")
                    out.write(Self.line(row.bytes, row.objects, name))
                }
            }
            if json {
                var j = JSONWriter()
                j.field("prefix", prefix)
                j.field("size", usage.totalBytes)
                j.field("objects", Int64(usage.totalObjects))
                j.field("total", true)
                out.write(j.line)
            } else {
                out.write(Self.line(usage.totalBytes, usage.totalObjects, "total s3://\(uri.bucket)/" + TerminalSafe.escape(prefix)))
            }
        }
    }

    static func line(_ bytes: Int64, _ objects: Int, _ name: String) -> String {
        let size = ByteCount.format(bytes)
        let count = "\(objects) object\(objects == 1 ? "" : "s")"
        return String(repeating: " ", count: max(0, 10 - size.count)) + size + "  "
            + String(repeating: " ", count: max(0, 16 - count.count)) + count + "  " + name + "\n"
    }
}
