import ArgumentParser
import Foundation
import Operations
import S3

/// `pail bookmarks [--json]`: the bookmarks of pail's configuration file.
struct BookmarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bookmarks",
        abstract: "List the bookmarks (`pail NAME` opens one; `m` saves one in the browser).")

    @Flag(help: "JSON Lines: name and uri.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let bookmarks = try BookmarkStore(environment: ProcessInfo.processInfo.environment).list()
            // A name set twice: the later line counts, as when it is opened.
            var seen = Set<String>()
            let shown = bookmarks.reversed().filter { seen.insert($0.name).inserted }.reversed()
            let width = shown.map(\.name.count).max() ?? 0
            for b in shown {
                if json {
                    var j = JSONWriter()
                    j.field("name", b.name)
                    j.field("uri", b.uri)
                    StandardOutput.shared.write(j.line)
                } else {
                    let pad = String(repeating: " ", count: width - b.name.count)
                    StandardOutput.shared.write("\(b.name)\(pad)  \(TerminalSafe.escape(b.uri))\n")
                }
            }
        }
    }
}
