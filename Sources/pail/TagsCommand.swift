import ArgumentParser
import Foundation
import Operations
import S3

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Show or change an object's tags.")

    @OptionGroup var global: GlobalOptionGroup
    @Option(name: .customLong("set"), help: ArgumentHelp("Set a tag (repeatable).", valueName: "key=value"))
    var set: [String] = []
    @Option(name: .customLong("remove"), help: ArgumentHelp("Remove a tag (repeatable).", valueName: "key"))
    var remove: [String] = []
    @Flag(help: "JSON: key and tags (an object of tag keys and values).")
    var json = false
    @Argument(help: "s3://bucket/key")
    var target: String

    func validate() throws {
        for s in set where TagEdit.split(s) == nil {
            throw ValidationError("--set takes key=value, got \"\(TerminalSafe.escape(s))\"")
        }
    }

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(object: target, command: "tags")
            let client = try global.makeClient()
            var tags = try client.getObjectTagSet(bucket: uri.bucket, key: uri.key)
            if !set.isEmpty || !remove.isEmpty {
                tags = TagEdit.apply(to: tags, set: set.compactMap(TagEdit.split), remove: remove) { missing in
                    StandardError.write("pail: warning: \(TerminalSafe.escape(uri.description)) has no tag "
                                        + "\"\(TerminalSafe.escape(missing))\"\n")
                }
                if tags.isEmpty {
                    try client.deleteObjectTagging(bucket: uri.bucket, key: uri.key)
                } else {
                    try client.putObjectTagging(bucket: uri.bucket, key: uri.key, tags: tags)
                }
                // What the server kept, not what was asked: some servers drop or cap tags.
                tags = try client.getObjectTagSet(bucket: uri.bucket, key: uri.key)
            }
            let out = StandardOutput.shared
            if json {
                var j = JSONWriter()
                j.field("key", uri.key)
                j.field("tags", object: tags)
                out.write(j.line)
            } else if tags.isEmpty {
                StandardError.write("\(TerminalSafe.escape(uri.description)) has no tags\n")
            } else {
                for (k, v) in tags { out.write("\(TerminalSafe.escape(k))=\(TerminalSafe.escape(v))\n") }
            }
        }
    }
}
