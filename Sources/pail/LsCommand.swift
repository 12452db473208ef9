import ArgumentParser
import Foundation
import Operations
import S3

struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List buckets, one level of a prefix, or everything below it with -r.")

    @OptionGroup var global: GlobalOptionGroup
    @OptionGroup var inventory: InventoryOptions

    @Flag(name: [.short, .customLong("recursive")], help: "List every object below the prefix.")
    var recursive = false

    @Flag(help: "Print JSON Lines: key, size, last_modified, etag, storage_class (or prefix).")
    var json = false

    @Argument(help: "s3://bucket[/prefix]; without it, the buckets.")
    var target: String?

    func run() throws {
        try runReportingErrors {
            let client = try global.makeClient()
            let out = StandardOutput.shared
            guard let target else {
                for bucket in try client.listBuckets() {
                    if json {
                        var j = JSONWriter()
                        j.field("bucket", bucket.name)
                        j.field("creation_date", bucket.creationDate.map(Timestamps.formatISO8601))
                        out.write(j.line)
                    } else {
                        let date = bucket.creationDate.map(Timestamps.formatLocal) ?? "                   "
                        out.write("\(date) \(TerminalSafe.escape(bucket.name))\n")
                    }
                }
                return
            }
            let uri = try S3URI(parsing: target)
            if inventory.uri != nil && !recursive {
                throw ValidationError("--inventory lists everything below a prefix: add -r")
            }
            if recursive {
                // In the report's order with --inventory, key order from a listing.
                try inventory.source(client: client).list(bucket: uri.bucket, prefix: uri.key) { objects in
                    for o in objects {
                        out.write(json ? Format.jsonObject(o) : Format.textObject(o, name: o.key))
                    }
                }
                return
            }
            // One level, named relative to the last "/" of the prefix, like `aws s3 ls`.
            let base = uri.key.utf8.lastIndex(of: UInt8(ascii: "/"))
                .map { String(decoding: uri.key.utf8[...$0], as: UTF8.self) } ?? ""
            try client.listAllPages(bucket: uri.bucket, prefix: uri.key, delimiter: "/") { page in
                // Prefixes and objects interleave in key order within a page.
                var pi = 0, oi = 0
                while pi < page.commonPrefixes.count || oi < page.objects.count {
                    let takePrefix: Bool
                    if pi >= page.commonPrefixes.count { takePrefix = false }
                    else if oi >= page.objects.count { takePrefix = true }
                    else { takePrefix = page.commonPrefixes[pi].bytesPrecede(page.objects[oi].key) }
                    if takePrefix {
                        let p = page.commonPrefixes[pi]; pi += 1
                        out.write(json ? Format.jsonPrefix(p) : Format.textPrefix(p.droppingBytePrefix(base)))
                    } else {
                        let o = page.objects[oi]; oi += 1
                        out.write(json ? Format.jsonObject(o)
                                       : Format.textObject(o, name: o.key.droppingBytePrefix(base)))
                    }
                }
                return true
            }
        }
    }
}
