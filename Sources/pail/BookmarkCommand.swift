import ArgumentParser
import Foundation
import Operations
import S3

/// `pail bookmark NAME s3://…` saves a bookmark; `pail bookmark --delete NAME` removes it.
struct BookmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bookmark",
        abstract: "Save a bookmark (NAME s3://bucket/prefix/) in pail's configuration file, or --delete one.")

    @Flag(help: "Remove the bookmark NAME.")
    var delete = false

    @Argument(help: "A letter or a name (letters, digits, _, . and -).")
    var name: String

    @Argument(help: "s3://bucket[/prefix/]", completion: S3Completion.kind)
    var uri: String?

    func validate() throws {
        if delete && uri != nil { throw ValidationError("--delete takes only the bookmark's name") }
        if !delete && uri == nil {
            throw ValidationError("give the place to save: pail bookmark NAME s3://bucket/prefix/")
        }
    }

    func run() throws {
        try runReportingErrors {
            let store = BookmarkStore(environment: ProcessInfo.processInfo.environment)
            guard let uri else {
                guard try store.remove(named: name) else {
                    throw S3Error.configuration(
                        "there is no bookmark \"\(TerminalSafe.escape(name))\" in \(store.path)")
                }
                return
            }
            // `pail NAME` could never open a bookmark named like a subcommand.
            let commands = Pail.configuration.subcommands.map { $0.configuration.commandName ?? "" }
            if commands.contains(name) {
                throw S3Error.configuration("a bookmark cannot be called \"\(name)\": `pail \(name)` is a command")
            }
            try store.save(Bookmark(name: name, uri: uri, at: "pail bookmark"))
        }
    }
}
