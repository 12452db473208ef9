import ArgumentParser
import Foundation
import Operations
import S3

struct BucketEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit a bucket's CORS, lifecycle, policy, website or tags in $EDITOR; enable or suspend versioning.",
        discussion: """
            The configuration opens as JSON in the AWS CLI's shape (the policy as the policy document). It is \
            checked before anything is sent, shown as a diff and confirmed (or --yes); the previous one is saved \
            under $XDG_STATE_HOME/pail/bucket-configs/ first. Emptying the file deletes the configuration.
            """)

    @OptionGroup var global: GlobalOptionGroup
    @Flag(name: .customLong("enable"), help: "versioning: turn it on.")
    var enable = false
    @Flag(name: .customLong("suspend"), help: "versioning: suspend it (objects keep their versions).")
    var suspend = false
    @Flag(name: .long, help: "Do not ask before replacing the configuration.")
    var yes = false
    @Argument(help: "s3://bucket")
    var target: String
    @Argument(help: "cors, lifecycle, policy, website, tags or versioning")
    var section: String

    func validate() throws {
        if section == "versioning" {
            if enable == suspend { throw ValidationError("versioning takes --enable or --suspend") }
        } else {
            guard let s = BucketSection(rawValue: section), BucketSection.editable.contains(s) else {
                throw ValidationError("cannot edit \"\(section)\": choose cors, lifecycle, policy, website, tags "
                                      + "or versioning")
            }
            if enable || suspend { throw ValidationError("--enable and --suspend are for versioning") }
        }
    }

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            guard uri.key.isEmpty else {
                throw S3Error.configuration("bucket edit takes a bucket (s3://bucket), not a key")
            }
            let client = try global.makeClient()
            let name = "s3://\(TerminalSafe.escape(uri.bucket))"
            if section == "versioning" {
                let lines = enable ? ["Versioning keeps every version of every object (and bills for them); once "
                                      + "enabled it can be suspended, never turned off."]
                    : ["New writes will stop making versions; the versions already there stay."]
                try confirm(lines, question: "\(enable ? "Enable" : "Suspend") versioning on \(name)?", kept: nil)
                try client.putBucketVersioning(bucket: uri.bucket, enabled: enable)
                StandardError.write("versioning \(enable ? "enabled" : "suspended") on \(name)\n")
                return
            }
            try edit(client: client, bucket: uri.bucket, section: BucketSection(rawValue: section)!, name: name)
        }
    }

    func edit(client: S3Client, bucket: String, section: BucketSection, name: String) throws {
        let settings = BucketConfigurations(client: client)
        let current = settings.read(bucket: bucket, section: section)
        switch current.state {
        case .failed(let message): throw S3Error.local(message)
        case .unsupported(let why):
            throw S3Error.local("the server does not support the \(section.title) configuration (\(why))")
        default: break
        }
        let original = BucketConfigurations.editableText(section, current.state)
        // Named by the section only: the directory is new and private, and a bucket name typed
        // on the command line has no business in a path.
        let file = try EditorFile(name: "\(section.rawValue).json", contents: original)
        let kept = TerminalSafe.escape(file.path)
        var change: BucketChange
        var edited: String
        while true {
            try file.runEditor()
            edited = try file.read()
            if edited.utf8.elementsEqual(original.utf8) {
                file.remove()
                StandardError.write("no change to the \(section.title) configuration of \(name); nothing sent\n")
                return
            }
            do {
                change = try BucketConfigurations.prepare(section, text: edited)
                break
            } catch let error as BucketConfigError {
                StandardError.write("pail: \(kept) \(TerminalSafe.escape(error.description))\n")
                if Confirmation.canAsk, Confirmation.ask([], question: "Open the editor again?", word: nil) {
                    continue
                }
                StandardError.write("pail: nothing sent; the edit is kept in \(kept)\n")
                throw ExitCode(1)
            }
        }
        // Both sides in the same layout, so the diff shows what changes, not how it was typed.
        let shown = change == .delete ? "" : ((try? JSONValue.parse(edited)).map { $0.pretty() + "\n" } ?? edited)
        let diff = LineDiff.lines(old: original, new: shown).map { TerminalSafe.escape($0) }
        let question = change == .delete ? "Delete the \(section.title) configuration of \(name)?"
            : "Replace the \(section.title) configuration of \(name)?"
        try confirm(diff, question: question, kept: kept)
        if !original.isEmpty {
            let saved = try BucketConfigurations.backup(bucket: bucket, section: section, text: original,
                                                  environment: ProcessInfo.processInfo.environment)
            StandardError.write("saved the previous configuration to \(TerminalSafe.escape(saved))\n")
        }
        do { try settings.apply(bucket: bucket, section: section, change: change) } catch {
            throw S3Error.local("\(error); the edit is kept in \(file.path)")
        }
        file.remove()
        let done = change == .delete ? "deleted" : "replaced"
        StandardError.write("\(done) the \(section.title) configuration of \(name)\n")
    }

    /// `--yes`, or a "y" from the person at the terminal; without a terminal, a refusal.
    func confirm(_ lines: [String], question: String, kept: String?) throws {
        if yes {
            for l in lines { StandardError.write(l + "\n") }
            return
        }
        let keptNote = kept.map { "; the edit is kept in \($0)" } ?? ""
        guard Confirmation.canAsk else {
            for l in lines { StandardError.write(l + "\n") }
            StandardError.write("pail: nothing sent: no terminal to confirm on; pass --yes\(keptNote)\n")
            throw ExitCode(1)
        }
        guard Confirmation.ask(lines, question: question, word: nil) else {
            StandardError.write("nothing sent\(keptNote)\n")
            throw ExitCode(1)
        }
    }
}
