import ArgumentParser
import Foundation
import Operations
import S3

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Make an older version the current one again (copies it over the current version).")

    @OptionGroup var global: GlobalOptionGroup
    @Option(name: .customLong("version-id"), help: "The version to restore (see pail versions).")
    var versionId: String
    @Argument(help: "s3://bucket/key")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            let client = try global.makeClient()
            try client.requireWritable("PUT", bucket: uri.bucket, key: uri.key)
            try Versions(client: client).restore(bucket: uri.bucket, key: uri.key, versionId: versionId)
            StandardError.write("restored \(TerminalSafe.escape(uri.description)) to version \(versionId)\n")
        }
    }
}
