import ArgumentParser
import Foundation
import Operations
import S3

/// `pail dupes`: groups of objects below a prefix holding the same bytes, with Django's
/// collision renames named, the oldest of each group to keep.
struct DupesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dupes",
        abstract: "Objects below a prefix with the same size and ETag, in groups, the oldest to keep.",
        discussion: """
            Multipart ETags match only copies uploaded with the same part layout. Django's collision \
            renames (photo_AbC1234.jpg for photo.jpg) are named. Nothing is deleted: pass the keys to \
            pail rm, or mark them in the browser.
            """)

    @OptionGroup var global: GlobalOptionGroup
    @OptionGroup var inventory: InventoryOptions

    @Flag(help: ArgumentHelp("Print JSON Lines: group, keep, key, size, last_modified, etag, storage_class, "
                             + "django_rename_of; the total last."))
    var json = false

    @Argument(help: "s3://bucket[/prefix/]")
    var target: String

    func run() throws {
        try runReportingErrors {
            let found = try FinderTarget(target, global: global, inventory: inventory)
            // Sorted on disk, not held: memory stays bounded whatever the listing's size.
            let finder = DuplicateSpool()
            let progress = Progress("scanned")
            defer { progress.finish() }
            // Groups are sorted when they are printed: the listing's order does not matter.
            try found.source.list(bucket: found.bucket, prefix: found.prefix, ordered: false) {
                try finder.add($0)
                progress.add($0)
            }
            progress.finish()
            let out = StandardOutput.shared
            var n = 0, i = 0
            let totals = try finder.groups({ group in
                n += 1
                i = 0
                if !json {
                    let kind = group.isMultipartETag ? "multipart ETag" : "ETag"
                    out.write("\(group.count) copies of \(ByteCount.format(group.size)) "
                              + "(\(kind) \(TerminalSafe.escape(group.etag))), "
                              + "\(ByteCount.format(group.reclaimable)) to free:\n")
                }
            }, object: { o in
                defer { i += 1 }
                let original = DuplicateFinder.djangoOriginal(of: o.key)
                if json {
                    var j = JSONWriter()
                    j.field("group", Int64(n))
                    j.field("keep", i == 0)
                    Format.objectFields(&j, key: o.key, size: o.size, lastModified: o.lastModified, etag: o.etag,
                                        storageClass: o.storageClass)
                    j.field("django_rename_of", original)
                    out.write(j.line)
                } else {
                    let date = o.lastModified.map(Timestamps.formatLocal) ?? "                   "
                    let note = original.map { "  (Django's rename of \(TerminalSafe.escape($0)))" } ?? ""
                    out.write("  \(i == 0 ? "keep" : "dupe")  \(date)  \(TerminalSafe.escape(o.key))\(note)\n")
                }
            })
            let groups = totals.groups, duplicates = totals.duplicates, bytes = totals.bytes
            if json {
                var j = JSONWriter()
                j.field("total", true)
                j.field("scanned", Int64(finder.scanned))
                j.field("groups", Int64(groups))
                j.field("duplicates", Int64(duplicates))
                j.field("size", bytes)
                out.write(j.line)
            } else {
                out.write("\(groups) group\(groups == 1 ? "" : "s"), \(duplicates) duplicate"
                          + "\(duplicates == 1 ? "" : "s"), \(ByteCount.format(bytes)) to free, "
                          + "\(finder.scanned) object\(finder.scanned == 1 ? "" : "s") scanned\n")
            }
        }
    }
}
