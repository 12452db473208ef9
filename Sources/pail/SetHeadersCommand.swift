import ArgumentParser
import Foundation
import Operations
import S3

struct SetHeadersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-headers",
        abstract: "Edit headers in place, keeping every other header, metadata entry, ACL and tag.")

    @OptionGroup var global: GlobalOptionGroup

    @Flag(name: [.short, .customLong("recursive")], help: "Every object under the prefix.")
    var recursive = false
    @Flag(name: .customLong("dry-run"), help: "Print the preview and change nothing.")
    var dryRun = false
    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Option(name: .customLong("cache-control")) var cacheControl: String?
    @Option(name: .customLong("content-type")) var contentType: String?
    @Option(name: .customLong("content-encoding")) var contentEncoding: String?
    @Option(name: .customLong("content-disposition")) var contentDisposition: String?
    @Option(name: .customLong("content-language")) var contentLanguage: String?
    @Option(name: .customLong("expires")) var expires: String?
    @Option(name: .customLong("remove-header"),
            help: "Remove a header (Cache-Control, Content-Encoding, ...); repeatable.")
    var removeHeader: [String] = []
    @Option(name: .customLong("metadata"), help: "Set user metadata k=v; repeatable.")
    var metadata: [String] = []
    @Option(name: .customLong("remove-metadata"), help: "Remove a user metadata entry; repeatable.")
    var removeMetadata: [String] = []
    @Flag(help: ArgumentHelp("Invalidate what changed on the bucket's CDN afterwards (CloudFront or "
                             + "purge_command, as `pail invalidate`)."))
    var invalidate = false
    @Flag(name: .customLong("allow-type-mismatch"),
          help: "Set --content-type even where it does not match a key's extension (image/png on .css).")
    var allowTypeMismatch = false
    @Option(name: .customLong("multipart-copy-threshold"), help: .hidden)
    var multipartThreshold: Int64?
    @Option(name: .customLong("copy-part-size"), help: .hidden)
    var copyPartSize: Int64?

    @Argument(help: "s3://bucket/key, or s3://bucket/prefix/ with -r")
    var target: String

    func changes() throws -> HeaderChanges {
        var c = HeaderChanges()
        let given: [(HeaderField, String?)] = [(.cacheControl, cacheControl), (.contentType, contentType),
                                               (.contentEncoding, contentEncoding),
                                               (.contentDisposition, contentDisposition),
                                               (.contentLanguage, contentLanguage), (.expires, expires)]
        for (f, v) in given { if let v { c.setFields[f] = v } }
        // Checked before anything is listed or sent: one line saying where the value is wrong.
        if let cacheControl {
            do { try CacheControl.parse(cacheControl) } catch let p as CacheControl.Problem {
                let value = TerminalSafe.escape(cacheControl)
                throw S3Error.configuration("--cache-control \"\(value)\": \(p.reason) at column \(p.column)")
            }
        }
        if let contentType, let p = ContentTypes.problem(contentType) {
            let value = TerminalSafe.escape(contentType)
            throw S3Error.configuration("--content-type \"\(value)\": \(p.dropFirst("Content-Type: ".count))")
        }
        for name in removeHeader {
            guard let f = HeaderField(name: name) else {
                let known = HeaderField.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--remove-header \(name): pail edits \(known)")
            }
            c.removeFields.insert(f)
        }
        for pair in metadata {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--metadata takes name=value, got \"\(pair)\"")
            }
            c.setMetadata[String(pair[..<eq]).lowercased()] = String(pair[pair.index(after: eq)...])
        }
        for k in removeMetadata { c.removeMetadata.insert(k.lowercased()) }
        if c.isEmpty {
            throw ValidationError("nothing to change: give --cache-control, --content-type, --metadata, ...")
        }
        return c
    }

    func run() throws {
        try runReportingErrors {
            let changes = try changes()
            let uri = try S3URI(parsing: target)
            if !recursive && (uri.key.isEmpty || uri.key.hasByteSuffix("/")) {
                throw S3Error.configuration("\(uri) is a prefix: add -r to edit every object under it")
            }
            let client = try global.makeClient()
            // Read-only refuses before anything is listed (a dry run writes nothing: it runs).
            if !dryRun { try client.requireWritable("PUT", bucket: uri.bucket, key: uri.key) }
            if !dryRun && !yes && !Confirmation.canAsk {
                throw S3Error.configuration("set-headers needs a terminal to confirm; "
                                            + "pass --yes to apply without asking, or --dry-run")
            }
            let editor = HeaderEditor(client: client)
            if let t = multipartThreshold { editor.multipartCopyThreshold = t }
            if let p = copyPartSize { editor.copyPartSize = p }
            // Objects stream through: a page is read, edited and let go while the next is listed.
            let planner = HeaderEditPlanner.command(editor: editor, bucket: uri.bucket, key: uri.key,
                                                    recursive: recursive, changes: changes)
            let prefix: String? = recursive ? S3URI.boundedPrefix(uri.key) : nil
            let mismatch: (String) throws -> Void = { key in
                guard let contentType, !allowTypeMismatch,
                      let want = ContentTypes.mismatch(contentType, forKey: key) else { return }
                let others = recursive ? " (and maybe other keys)" : ""
                throw S3Error.configuration("--content-type \(TerminalSafe.escape(contentType)) does not match "
                    + "\(TerminalSafe.escape(key))\(others), which calls for \(want): "
                    + "fix it, or add --allow-type-mismatch")
            }
            let failedRead = { (key: String, reason: String) in
                StandardError.write("pail: could not read s3://\(uri.bucket)/\(TerminalSafe.escape(key)): "
                                    + "\(TerminalSafe.escape(reason))\n")
            }
            // The preview (and with a confirmation, the plan on disk): one pass that reads
            // every object's headers, holding a page and the counts.
            var plan: HeaderEditPlan?
            if !yes || dryRun {
                let progress = Progress("listed")
                var counted: (objects: Int, bytes: Int64) = (0, 0)
                defer { progress.finish() }
                plan = try planner.preview(spooled: !dryRun, check: { item in
                    try mismatch(item.key)
                }, each: { item in
                    // Counted by the hundred, as pages go by.
                    counted.objects += 1
                    counted.bytes += item.before.size
                    if counted.objects == 100 {
                        progress.add(objects: counted.objects, bytes: counted.bytes)
                        counted = (0, 0)
                    }
                }, failed: { key, error in
                    progress.finish()
                    failedRead(key, String(describing: error))
                })
            } else if contentType != nil && !allowTypeMismatch && recursive {
                // Without a preview the keys are still checked before anything is sent: one
                // listing, nothing held.
                try RecursiveLister(client: client).list(bucket: uri.bucket, prefix: prefix!) { objects in
                    for o in objects { try mismatch(o.key) }
                }
            } else if !recursive {
                try mismatch(uri.key)
            }
            let unreadable = plan?.unreadable ?? 0
            let objects = plan?.objects ?? 0, changing = plan?.changing ?? 0
            var lines = ["\(objects) object\(objects == 1 ? "" : "s") under \(TerminalSafe.escape(uri.description)): "
                         + "\(changing) will change, \(objects - changing) already right (skipped)"
                         + (unreadable > 0 ? ", \(unreadable) could not be read" : "")]
            for p in plan?.tally.previews ?? [] {
                let before = p.before.sorted { $0.value > $1.value }.prefix(4)
                    .map { "\(TerminalSafe.escape($0.key)) (\($0.value))" }.joined(separator: ", ")
                lines.append("  \(p.field): \(before) → \(TerminalSafe.escape(p.after))  [\(p.changing) change]")
            }
            if let versioning = try? client.getBucketVersioning(bucket: uri.bucket), versioning == "Enabled" {
                lines.append("note: versioning is on: every edited object gets a new version")
            }
            if dryRun {
                for l in lines { StandardOutput.shared.write(l + "\n") }
                if unreadable > 0 { throw ExitCode(1) }
                return
            }
            if !yes && changing == 0 {
                StandardError.write(lines.joined(separator: "\n") + "\nnothing to change\n")
                if unreadable > 0 { throw ExitCode(1) }
                return
            }
            if !yes {
                guard Confirmation.ask(lines, question: "Apply?", word: changing > 100 ? String(changing) : nil) else {
                    StandardError.write("nothing changed\n")
                    throw ExitCode(1)
                }
            }
            let showProgress = StandardError.isTerminal
            // SIGINT, SIGTERM and SIGHUP stop the edit between objects and abort a multipart
            // copy between parts, so nothing is left stored; the summary says what was done.
            let interruption = Interruption { [editor] in editor.cancel.cancel() }
            let total = yes ? "" : " of \(changing)"
            let failedEdit = { (key: String, reason: String) in
                StandardError.write((showProgress ? "\r\u{1B}[K" : "") + "pail: could not edit "
                                    + "s3://\(uri.bucket)/\(TerminalSafe.escape(key)): "
                                    + "\(TerminalSafe.escape(reason))\n")
            }
            let summary = try planner.apply(yes ? nil : plan, outcome: { key, outcome in
                if case .failed(let reason) = outcome, !editor.cancel.isCancelled { failedEdit(key, reason) }
            }, progress: { done in
                if showProgress && !interruption.hungUp { StandardError.write("\redited \(done)\(total)") }
            })
            interruption.restore()
            if showProgress { StandardError.write("\n") }
            if let signal = interruption.received {
                StandardError.write(summary.line + "\n")
                StandardError.write("pail: interrupted (\(Interruption.name(signal))); edits not yet made were not "
                                    + "started and multipart copies under way were aborted\n")
                throw ExitCode(128 + signal)
            }
            StandardError.write(summary.line + "\n")
            if invalidate && summary.changed > 0 {
                // A prefix edited whole (or past 100 objects) is one wildcard path: cheaper
                // than a path per key, and CloudFront counts it as one.
                let whole = recursive && summary.failed == 0
                    && (summary.skipped == 0 || summary.changed > 100)
                let targets = whole ? [InvalidationTarget.prefix(S3URI.boundedPrefix(uri.key))]
                    : summary.firstChanged.map { InvalidationTarget.key($0) }
                try InvalidateCommand.invalidate(client: client, bucket: uri.bucket, targets: targets,
                                                 distribution: nil, wait: true, json: false, discover: true)
            }
            if summary.failed > 0 || unreadable > 0 {
                StandardError.write("retry the failed ones with the same command: objects already right are skipped\n")
                throw ExitCode(1)
            }
        }
    }
}
