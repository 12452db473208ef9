import ArgumentParser
import CBuildInfo
import Foundation
import Operations
import S3

@main
struct Pail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pail",
        abstract: "Browse and manage S3 buckets from the terminal.",
        discussion: "Run without a subcommand to open the browser. Targets are s3://bucket[/key-or-prefix].",
        version: Pail.version,
        subcommands: [BrowseCommand.self, LsCommand.self, DuCommand.self, StatCommand.self, CpCommand.self,
                      RmCommand.self, SetHeadersCommand.self,
                      HeadersCommand.self, UrlCommand.self, VersionsCommand.self, RestoreCommand.self,
                      FindCommand.self, DupesCommand.self, StaleStaticCommand.self,
                      UploadsCommand.self, SyncCommand.self, InvalidateCommand.self, BucketCommand.self,
                      ViewCommand.self,
                      TagsCommand.self, AclCommand.self, InventoryCommand.self,
                      BookmarksCommand.self, BookmarkCommand.self, CompleteS3Command.self],
        defaultSubcommand: BrowseCommand.self
    )

    /// The release and, for binaries made by `make release`, the commit they were built from.
    static var version: String {
        let commit = String(cString: pail_build_commit())
        return "0.2.0 (" + (commit.isEmpty ? "development build" : "commit \(commit)") + ")"
    }
}

/// Runs a command body and turns any error into one line on stderr and exit status 1.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
        StandardOutput.shared.flush()
    } catch let error as ExitCode {
        StandardOutput.shared.flush()
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        StandardOutput.shared.flush()
        StandardError.write("pail: \(TerminalSafe.escape(String(describing: error)))\n")
        throw ExitCode(1)
    }
}
