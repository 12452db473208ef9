import ArgumentParser
import Foundation
import Operations
import S3

struct BucketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bucket",
        abstract: "Show or edit a bucket's settings (region, versioning, policy, CORS, lifecycle, website, tags, ...).",
        subcommands: [BucketShowCommand.self, BucketEditCommand.self])
}
