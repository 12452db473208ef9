import ArgumentParser
import Foundation
import Operations
import S3

struct VersionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions",
        abstract: "List the versions and delete markers of an object on a versioned bucket.")

    @OptionGroup var global: GlobalOptionGroup
    @Flag(help: "JSON Lines: key, version_id, is_latest, delete_marker, size, last_modified, etag.")
    var json = false
    @Argument(help: "s3://bucket/key")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            let versions = try Versions(client: try global.makeClient()).list(bucket: uri.bucket, key: uri.key)
            let out = StandardOutput.shared
            for v in versions {
                if json {
                    var j = JSONWriter()
                    j.field("key", v.key)
                    j.field("version_id", v.versionId)
                    j.field("is_latest", v.isLatest)
                    j.field("delete_marker", v.isDeleteMarker)
                    j.field("size", v.size)
                    j.field("last_modified", v.lastModified.map(Timestamps.formatISO8601))
                    j.field("etag", v.etag)
                    out.write(j.line)
                } else {
                    let date = v.lastModified.map(Timestamps.formatLocal) ?? "-"
                    let what = v.isDeleteMarker ? "delete marker" : "\(v.size) bytes"
                    out.write("\(date)  \(v.versionId)  \(v.isLatest ? "latest" : "      ")  \(what)\n")
                }
            }
        }
    }
}
