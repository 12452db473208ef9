import ArgumentParser
import Foundation
import Operations
import S3

/// `pail sync`: make the destination like the source, local ⇄ S3 or S3 → S3, sending only
/// what differs, and with `--delete` removing what the source no longer has.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Make DST like SRC (local to S3, S3 to local, S3 to S3), transferring only what differs.",
        discussion: """
            Compares by size and content (the MD5, or the multipart ETag an upload would produce); \
            --size-only trusts equal sizes. --delete removes what SRC no longer has, after a \
            confirmation (or --yes), never outside DST's prefix, with a manifest of every deleted key. \
            --exclude and --include take patterns on the path below SRC (later ones win; * matches /).
            """)

    @OptionGroup var global: GlobalOptionGroup
    @OptionGroup var upload: UploadOptionGroup

    @Flag(help: "Delete from DST what SRC does not have (asks first; --yes skips the question).")
    var delete = false
    @Flag(help: "With --delete: do not ask.")
    var yes = false
    @Flag(name: .customLong("dry-run"), help: "Print each transfer and delete it would make, and change nothing.")
    var dryRun = false
    @Flag(name: .customLong("size-only"), help: "Treat files of equal size as the same (no hashing).")
    var sizeOnly = false
    @Option(help: "Leave out paths matching this pattern (repeatable).")
    var exclude: [String] = []
    @Option(help: "Take paths matching this pattern back in after an --exclude (repeatable).")
    var include: [String] = []
    @Flag(help: "Print the plan and the result as JSON Lines.")
    var json = false
    @Flag(help: ArgumentHelp("Invalidate what changed on the bucket's CDN afterwards (CloudFront or "
                             + "purge_command, as `pail invalidate`)."))
    var invalidate = false

    @Argument(help: "The source: a folder or s3://bucket/prefix/.")
    var source: String
    @Argument(help: "The destination: s3://bucket/prefix/ or a folder.")
    var destination: String

    /// Filters in the order they were given: later patterns override earlier ones.
    func filter() -> SyncFilter {
        var rules: [(Int, SyncFilter.Rule)] = []
        let args = CommandLine.arguments
        var e = exclude.makeIterator(), i = include.makeIterator()
        for (n, arg) in args.enumerated() {
            if arg == "--exclude" || arg.hasPrefix("--exclude="), let p = e.next() { rules.append((n, .exclude(p))) }
            if arg == "--include" || arg.hasPrefix("--include="), let p = i.next() { rules.append((n, .include(p))) }
        }
        while let p = e.next() { rules.append((Int.max, .exclude(p))) }
        while let p = i.next() { rules.append((Int.max, .include(p))) }
        return SyncFilter(rules: rules.sorted { $0.0 < $1.0 }.map(\.1))
    }

    func endpoint(_ text: String) throws -> SyncEndpoint {
        guard S3URI.isS3(text) else { return .local(text) }
        let uri = try S3URI(parsing: text)
        return .s3(bucket: uri.bucket, prefix: S3URI.boundedPrefix(uri.key))
    }

    func run() throws {
        try runReportingErrors {
            let from = try endpoint(source), to = try endpoint(destination)
            if case .local = from, case .local = to {
                throw ValidationError("sync needs an s3:// side: for two folders, use rsync")
            }
            if case .s3 = from, upload.setsHeaders {
                throw ValidationError("header options are for uploads; a download or a copy keeps the source's headers")
            }
            let (config, warning) = PailConfig.load(environment: ProcessInfo.processInfo.environment)
            if let warning { StandardError.write("pail: \(warning)\n") }
            let client = try global.makeClient()
            if case .s3(let bucket, let prefix) = to {  // read-only: refused before anything is listed
                try client.requireWritable("PUT", bucket: bucket, key: prefix)
            }
            var options = try upload.options(config: config)
            options.overwrite = true
            let syncer = Syncer(client: client, engine: TransferEngine(client: client, options: options))
            syncer.filter = filter()
            syncer.sizeOnly = sizeOnly
            syncer.delete = delete
            let plan = try syncer.plan(from: from, to: to)
            let refused = plan.refused.map { (what: TerminalSafe.escape($0.path), why: $0.reason) }
            if dryRun {
                CpCommand.report(refused: refused, empty: [])
                printPlan(plan, to: to)
                if !refused.isEmpty { throw ExitCode(1) }
                return
            }
            // Uploads that go up gzip'ed are compared by the engine, after compressing.
            options.skipIdentical = !plan.compareAfterGzip.isEmpty
            options.existing = plan.compareAfterGzip
            let engine = TransferEngine(client: client, options: options)
            let interruption = Interruption(engine)
            defer { interruption.restore() }
            switch (from, to) {
            case (.local, .s3(let bucket, _)): engine.upload(plan.uploads, bucket: bucket)
            case (.s3(let bucket, _), .local): engine.download(plan.downloads, bucket: bucket, overwrite: true)
            case (.s3(let fromBucket, _), .s3(let bucket, _)): engine.copy(plan.copies, from: fromBucket, to: bucket)
            default: break
            }
            var transfersFailed = false
            do {
                try CpCommand.runWithProgress(engine, interruption: interruption, refused: refused, empty: [],
                                              identical: plan.unchanged)
            } catch let stop as ExitCode where stop == ExitCode(1) {
                transfersFailed = true  // reported above; nothing is deleted after a failure
            }
            if plan.excluded > 0 { StandardError.write("\(plan.excluded) excluded by --exclude/--include\n") }
            if delete && plan.deleteCount > 0 {
                guard !transfersFailed else {
                    StandardError.write("pail: not every transfer succeeded, so nothing was deleted; run sync again\n")
                    throw ExitCode(1)
                }
                try deleteLeftovers(plan, client: client, to: to)
            }
            if invalidate, case .s3(let bucket, let prefix) = to {
                // What was written or deleted; past 100 paths the prefix as one wildcard.
                let written = engine.snapshot.filter { $0.state == .done }.map(\.key)
                let changed = written + (delete ? plan.deleteObjects.map(\.key) : [])
                if !changed.isEmpty {
                    let targets = changed.count > 100 ? [InvalidationTarget.prefix(prefix)] : changed.map { .key($0) }
                    try InvalidateCommand.invalidate(client: client, bucket: bucket, targets: targets,
                                                     distribution: nil, wait: true, json: false, discover: true)
                }
            }
            if transfersFailed { throw ExitCode(1) }
        }
    }

    func printPlan(_ plan: SyncPlan, to: SyncEndpoint) {
        let out = StandardOutput.shared
        func line(_ action: String, _ from: String, _ to: String?, _ size: Int64) {
            if json {
                var j = JSONWriter()
                j.field("action", action)
                j.field("source", from)
                j.field("destination", to)
                j.field("size", size)
                out.write(j.line)
            } else {
                let target = to.map { " to \(TerminalSafe.escape($0))" } ?? ""
                out.write("(dry run) \(action) \(TerminalSafe.escape(from))\(target)\n")
            }
        }
        let dest: String = { if case .s3(let b, _) = to { return "s3://\(b)/" }; return "" }()
        for u in plan.uploads { line("upload", u.path, dest + u.key, u.size) }
        for d in plan.downloads { line("download", "s3://…/" + d.key, d.local, d.size) }
        for c in plan.copies { line("copy", c.sourceKey, dest + c.destinationKey, c.size) }
        for o in plan.deleteObjects { line("delete", dest + o.key, nil, o.size) }
        for f in plan.deleteFiles { line("delete", f.path, nil, f.size) }
        let summary = "dry run: \(Plural.things(plan.transferCount, "transfer")) "
            + "(\(ByteCount.format(plan.transferBytes))), \(Plural.things(plan.deleteCount, "delete")), "
            + "\(plan.unchanged) already identical, \(plan.excluded) excluded; nothing was changed"
        if json {
            var j = JSONWriter()
            j.field("total", true)
            j.field("transfers", Int64(plan.transferCount))
            j.field("size", plan.transferBytes)
            j.field("deletes", Int64(plan.deleteCount))
            j.field("unchanged", Int64(plan.unchanged))
            j.field("excluded", Int64(plan.excluded))
            out.write(j.line)
        }
        StandardError.write(summary + "\n")
    }

    func confirm(_ lines: [String], question: String, word: String?) throws {
        guard Confirmation.canAsk else {
            throw S3Error.configuration("sync --delete would delete without asking: "
                                        + "pass --yes, or run it on a terminal")
        }
        guard Confirmation.ask(lines, question: question, word: word) else {
            StandardError.write("nothing deleted\n")
            throw ExitCode(1)
        }
    }

    /// The same rules as `pail rm`: a plan shown, a confirmation unless --yes, a manifest
    /// written before anything goes.
    func deleteLeftovers(_ plan: SyncPlan, client: S3Client, to: SyncEndpoint) throws {
        switch to {
        case .s3(let bucket, _):
            let deleter = Deleter(client: client)
            let versioning = (try? client.getBucketVersioning(bucket: bucket)) ?? nil
            let deletePlan = DeletePlan(bucket: bucket, items: plan.deleteObjects, prefixes: [], versioning: versioning)
            if !yes {
                let word = deletePlan.needsTypedConfirmation ? String(deletePlan.items.count) : nil
                try confirm(deletePlan.summary(), question: "Delete what the source no longer has?", word: word)
            }
            let manifest = try deleter.writeManifest(deletePlan, environment: ProcessInfo.processInfo.environment)
            let outcome = deleter.execute(deletePlan)
            let total = Plural.things(deletePlan.items.count, "object")
            StandardError.write("deleted \(Plural.grouped(outcome.deleted)) of \(total); manifest \(manifest)\n")
            if !outcome.failures.isEmpty { throw ExitCode(1) }
        case .local:
            if !yes {
                var lines = [Plural.things(plan.deleteFiles.count, "local file")]
                lines += plan.deleteFiles.prefix(5).map { "  " + TerminalSafe.escape($0.path) }
                if plan.deleteFiles.count > 5 { lines.append("  … and \(plan.deleteFiles.count - 5) more") }
                let word = plan.deleteFiles.count > 100 ? String(plan.deleteFiles.count) : nil
                try confirm(lines, question: "Delete what the source no longer has?", word: word)
            }
            var removed = 0
            for f in plan.deleteFiles {
                // Only a regular file found by the walk, never through a link put there since.
                var st = stat()
                guard lstat(f.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, unlink(f.path) == 0 else {
                    StandardError.write("pail: could not delete \(TerminalSafe.escape(f.path))\n")
                    continue
                }
                removed += 1
            }
            let total = Plural.things(plan.deleteFiles.count, "local file")
            StandardError.write("deleted \(Plural.grouped(removed)) of \(total)\n")
            if removed < plan.deleteFiles.count { throw ExitCode(1) }
        }
    }
}
