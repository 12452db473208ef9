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

struct BucketShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print what governs every object in a bucket, section by section.")

    @OptionGroup var global: GlobalOptionGroup
    @Flag(help: ArgumentHelp(
        "JSON Lines, one per section: section, status (set, not_set, unsupported, error), configuration "
            + "(the AWS CLI's shape), code, message."))
    var json = false
    @Argument(help: "s3://bucket")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            guard uri.key.isEmpty else {
                throw S3Error.configuration("bucket show takes a bucket (s3://bucket), not a key")
            }
            let sections = try BucketConfigurations(client: try global.makeClient()).readAll(bucket: uri.bucket)
            let out = StandardOutput.shared
            if !json { out.write("s3://\(TerminalSafe.escape(uri.bucket))\n") }
            var failed = false
            for s in sections {
                if case .failed = s.state { failed = true }
                if json {
                    out.write(Self.jsonLine(s) + "\n")
                    continue
                }
                let lines = s.lines
                if case .set = s.state, [.policy, .cors, .lifecycle, .website, .tags].contains(s.section) {
                    out.write("\(s.section.title):\n")
                    for l in lines { out.write("  \(l)\n") }
                } else {
                    out.write("\(s.section.title): \(lines.joined(separator: " "))\n")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    static func jsonLine(_ s: BucketSectionState) -> String {
        var fields: [(key: String, value: JSONValue, line: Int)] = [("section", .string(s.section.rawValue), 0)]
        switch s.state {
        case .set(let doc):
            fields += [("status", .string("set"), 0), ("configuration", doc, 0)]
        case .notSet(let code):
            fields += [("status", .string("not_set"), 0), ("code", .string(code), 0)]
        case .unsupported(let why):
            fields += [("status", .string("unsupported"), 0), ("message", .string(why), 0)]
        case .failed(let message):
            fields += [("status", .string("error"), 0), ("message", .string(message), 0)]
        }
        return JSONValue.object(fields).compact
    }
}

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

/// The file a configuration is edited in: in a new private directory (mode 700), created
/// exclusively with mode 600, so no other user can read the policy or swap the file.
struct EditorFile {
    let directory: String
    let path: String

    init(name: String, contents: String) throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/pail-edit-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw S3Error.local("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        path = directory + "/" + name
        try PrivateFile.write(path, Data(contents.utf8))
    }

    /// `$VISUAL`, else `$EDITOR`, else vi, run through the shell so `EDITOR="code --wait"` works.
    func runEditor() throws {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "pail-editor", path]
        do { try process.run() } catch {
            throw S3Error.local("cannot start the editor (\(TerminalSafe.escape(editor))): "
                                + error.localizedDescription)
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw S3Error.local("the editor (\(TerminalSafe.escape(editor))) exited with status "
                                + "\(process.terminationStatus); nothing sent; the edit is kept in \(path)")
        }
    }

    func read() throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw S3Error.local("cannot read \(path) after the editor closed; nothing sent")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw S3Error.local("\(path) is not UTF-8 text; nothing sent; the edit is kept there")
        }
        return text
    }

    func remove() {
        unlink(path)
        rmdir(directory)
    }
}
