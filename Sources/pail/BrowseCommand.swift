import ArgumentParser
import Foundation
import S3

struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Open the interactive browser (the default).")

    @OptionGroup var global: GlobalOptionGroup

    @Argument(help: "s3://bucket[/prefix/] to open; without it, the bucket list.")
    var target: String?

    func run() throws {
        try runReportingErrors {
            throw S3Error.local("the browser is not built yet; use `pail ls` and `pail stat`")
        }
    }
}
