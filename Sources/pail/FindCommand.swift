import ArgumentParser
import Foundation
import Operations
import S3

/// `pail find`: the objects below a prefix that match every criterion given, printed as
/// `ls -r` prints them while the listing goes on.
struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Objects below a prefix matching a name, a pattern, a size, an age or a storage class.",
        discussion: "Sizes: 1000, 500K, 10M, 1.5G. Ages: 90s, 15m, 1h, 7d, 2w, 1y. Every criterion given must hold.")

    @OptionGroup var global: GlobalOptionGroup
    @OptionGroup var inventory: InventoryOptions

    @Option(help: "Shell pattern for the last part of the key, e.g. '*.jpg'.")
    var name: String?

    @Option(help: "Regular expression searched in the whole key.")
    var regex: String?

    @Option(help: "Only objects larger than SIZE.")
    var larger: String?

    @Option(help: "Only objects smaller than SIZE.")
    var smaller: String?

    @Option(help: "Only objects last modified longer ago than DURATION.")
    var older: String?

    @Option(help: "Only objects last modified within DURATION.")
    var newer: String?

    @Option(name: .customLong("storage-class"),
            help: "Only objects of this storage class (STANDARD, STANDARD_IA, GLACIER, ...).")
    var storageClass: String?

    @Flag(help: "Print JSON Lines: key, size, last_modified, etag, storage_class.")
    var json = false

    @Argument(help: "s3://bucket[/prefix/]")
    var target: String

    func criteria() throws -> ObjectCriteria {
        try ObjectCriteria.make(name: name, regex: regex, larger: larger, smaller: smaller, older: older,
                                newer: newer, storageClass: storageClass)
    }

    func run() throws {
        try runReportingErrors {
            let criteria = try criteria()
            let found = try FinderTarget(target, global: global, inventory: inventory)
            let out = StandardOutput.shared
            let progress = Progress.besideMatches()
            defer { progress.finish() }
            try found.source.list(bucket: found.bucket, prefix: found.prefix) { objects in
                progress.add(objects)
                for o in objects where criteria.matches(o) {
                    out.write(json ? Format.jsonObject(o) : Format.textObject(o, name: o.key))
                }
            }
        }
    }
}
