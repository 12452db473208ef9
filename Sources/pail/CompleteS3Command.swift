import ArgumentParser
import Operations
import S3

/// `pail complete-s3 [options] PARTIAL`: the candidates the shells' completion offers, one a
/// line (hidden: for the completion scripts and their tests, not for people).
struct CompleteS3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete-s3",
        abstract: "Print completion candidates for an s3:// target (for shell completion).",
        shouldDisplay: false)

    @OptionGroup var global: GlobalOptionGroup

    @Argument(help: "The word being completed: s3://, s3://bucket/prefix or a bookmark's start.")
    var partial: String = ""

    @Option(help: ArgumentHelp("The command line up to the cursor, as the shell has it: the word to complete "
                               + "and the global options are read from it.", valueName: "line"))
    var line: String?

    func run() throws {
        if let line {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let ended = line.last == " " || line.last == "\t"
            let partial = ended ? "" : words.last ?? ""
            for c in S3Completion.candidates(for: partial, words: words) { StandardOutput.shared.write(c + "\n") }
            StandardOutput.shared.flush()
            return
        }
        var o = GlobalOptions()
        o.profile = global.profile
        o.endpointURL = global.endpointURL
        o.region = global.region
        o.addressing = global.pathStyle ? .path : (global.virtualHost ? .virtual : nil)
        o.noSignRequest = global.noSignRequest
        o.connectTo = global.connectTo
        for c in S3Completion.candidates(for: partial, options: o) { StandardOutput.shared.write(c + "\n") }
        StandardOutput.shared.flush()
    }
}
