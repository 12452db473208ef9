import ArgumentParser
import Foundation
import Operations
import S3

/// `pail stale-static`: hashed static files the current Django manifest no longer names.
struct StaleStaticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stale-static",
        abstract: "Hashed static files (css/site.55e7cbb9ba48.css) that staticfiles.json no longer references.",
        discussion: """
            Reads Django's staticfiles.json at the top of the prefix (ManifestStaticFilesStorage, \
            S3ManifestStaticStorage). Files it references, unhashed originals and prefixes without a \
            manifest are never listed. Nothing is deleted.
            """)

    @OptionGroup var global: GlobalOptionGroup

    @Option(help: "Only files last modified longer ago than DURATION (7d, 2w, 1y).")
    var older: String?

    @Flag(help: "Print JSON Lines: key, size, last_modified, etag, storage_class; the total last.")
    var json = false

    @Argument(help: "s3://bucket/static-prefix/ (where staticfiles.json is)")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            let prefix = S3URI.boundedPrefix(uri.key)
            let olderThan = try older.map(Durations.parseAny)
            let client = try global.makeClient()
            let stale = try StaleStatic.load(client: client, bucket: uri.bucket, prefix: prefix, olderThan: olderThan)
            let out = StandardOutput.shared
            var count = 0
            var bytes: Int64 = 0
            let progress = Progress.besideMatches()
            defer { progress.finish() }
            try RecursiveLister(client: client).list(bucket: uri.bucket, prefix: prefix) { objects in
                progress.add(objects)
                for o in objects where stale.isStale(o) {
                    count += 1
                    bytes += o.size
                    out.write(json ? Format.jsonObject(o) : Format.textObject(o, name: o.key))
                }
            }
            if json {
                var j = JSONWriter()
                j.field("total", true)
                j.field("objects", Int64(count))
                j.field("size", bytes)
                j.field("referenced", Int64(stale.current.count))
                out.write(j.line)
            } else {
                out.write("\(count) stale file\(count == 1 ? "" : "s"), \(ByteCount.format(bytes)); the manifest "
                          + "references \(stale.current.count)\n")
            }
        }
    }
}
