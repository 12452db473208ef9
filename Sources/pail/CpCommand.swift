import ArgumentParser
import Dispatch
import Foundation
import Operations
import S3

struct CpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Upload files and folders, download objects and prefixes, or copy within S3, in parallel.",
        discussion: """
        pail cp [-r] LOCAL... s3://bucket/prefix/    upload (folders with -r)
        pail cp [-r] s3://bucket/key-or-prefix LOCAL  download (prefixes with -r)
        pail cp [-r] s3://bucket/key-or-prefix s3://other/prefix/
            copy within S3, done by the server: headers and tags kept, not the ACL
        """)

    @OptionGroup var global: GlobalOptionGroup

    @Flag(name: [.short, .customLong("recursive")],
          help: "Folders (upload) or prefixes (download, copy), with everything below.")
    var recursive = false
    @Flag(help: "Replace existing local files.")
    var overwrite = false
    @Flag(help: ArgumentHelp("Uploads: leave objects that already hold the same bytes "
                             + "(size and MD5 or multipart ETag; after --gzip)."))
    var skipIdentical = false
    @Flag(help: ArgumentHelp("Print what would be transferred, one line each, and transfer nothing "
                             + "(before any --skip-identical comparison)."))
    var dryRun = false
    @Flag(help: ArgumentHelp("Uploads and copies: invalidate what was written on the bucket's CDN afterwards "
                             + "(CloudFront or purge_command, as `pail invalidate`; past 100 objects, the prefix)."))
    var invalidate = false
    @Flag(help: "Downloads: write objects stored with Content-Encoding: gzip decoded (checked as stored first).")
    var gunzip = false
    @OptionGroup var transfer: UploadOptionGroup

    @Argument(help: "Sources, then the destination.")
    var paths: [String]

    func validate() throws {
        guard paths.count >= 2 else { throw ValidationError("give a source and a destination") }
    }

    func run() throws {
        try runReportingErrors {
            let destination = paths.last!
            let sources = Array(paths.dropLast())
            let upload = !sources.contains(where: S3URI.isS3) && S3URI.isS3(destination)
            let download = sources.allSatisfy(S3URI.isS3) && !S3URI.isS3(destination)
            let copy = sources.allSatisfy(S3URI.isS3) && S3URI.isS3(destination)
            guard upload || download || copy else {
                throw ValidationError("copy local files to s3://..., s3://... objects to a local path, "
                                      + "or s3://... to s3://...")
            }
            if copy && transfer.setsHeaders {
                throw ValidationError("a copy within S3 keeps the source's headers; "
                                      + "change them afterwards with pail set-headers")
            }
            let env = ProcessInfo.processInfo.environment
            let (config, warning) = PailConfig.load(environment: env)
            if let warning { StandardError.write("pail: \(warning)\n") }
            let client = try global.makeClient()
            if upload || copy {  // read-only: refused before anything is planned
                let to = try S3URI(parsing: destination)
                try client.requireWritable("PUT", bucket: to.bucket, key: to.key)
            }
            var options = try transfer.options(config: config)
            options.overwrite = overwrite
            options.gunzip = gunzip
            if gunzip && !download { throw ValidationError("--gunzip is for downloads") }
            // A listing streams into the engine: finished transfers are counted, not kept.
            options.keepsFinished = false
            // What is left out before anything runs (unsafe keys, links, pipes, ...): escaped, with why.
            var refused: [(what: String, why: String)] = []
            var empty: [String] = []
            if skipIdentical && !upload { throw ValidationError("--skip-identical is for uploads") }
            if invalidate && download { throw ValidationError("--invalidate is for uploads and copies to s3://") }
            var uploads: (bucket: String, plan: [TransferEngine.UploadSource])?
            if upload {
                let uri = try S3URI(parsing: destination)
                let walked = try UploadPlan.make(paths: sources, destination: uri.key, recursive: recursive)
                refused += walked.skipped.map { (TerminalSafe.escape($0.path), $0.reason) }
                empty = walked.empty
                let plan = walked.sources
                if skipIdentical && !dryRun {  // a dry run lists before any comparison
                    // One listing of where the files go rather than a HEAD per file: the keys'
                    // common folder (a single key is its own).
                    let folder = Self.commonFolder(plan.map(\.key))
                    let wanted = Set(plan.map { ObjectKey($0.key) })
                    try RecursiveLister(client: client).list(bucket: uri.bucket, prefix: folder) { objects in
                        for o in objects where wanted.contains(o.objectKey) {
                            options.existing[o.objectKey] = (o.size, o.etag)
                        }
                    }
                    options.skipIdentical = true
                }
                uploads = (uri.bucket, plan)
            }
            let engine = TransferEngine(client: client, options: options)
            // From the first queued transfer on, a signal must abort uploads and remove
            // temporary files rather than kill pail with them.
            let interruption = Interruption(engine)
            defer { interruption.restore() }
            let dry = DryRun()
            let report = StreamReport()
            // Every listed page is planned, refused keys are named and its transfers queued while
            // the next page is listed; the listing waits while this many transfers are unfinished.
            let inFlight = max(1000, options.concurrency * 64)
            let queueing: () throws -> Void = { [self] in
                if let uploads {
                    if dryRun {
                        for u in uploads.plan {
                            dry.add("upload \(TerminalSafe.escape(u.path)) to s3://\(uploads.bucket)/"
                                    + TerminalSafe.escape(u.key), u.size)
                        }
                    } else {
                        engine.upload(uploads.plan, bucket: uploads.bucket)
                    }
                } else if copy {
                    let to = try S3URI(parsing: destination)
                    for source in sources where !engine.cancel.isCancelled {
                        let from = try S3URI(parsing: source)
                        try copyPlan(client: client, from: from, to: to, several: sources.count > 1,
                                     cancel: engine.cancel) { targets, bad in
                            report.refuse(bad.map { (TerminalSafe.escape($0.0), $0.1) })
                            if dryRun {
                                for t in targets {
                                    dry.add("copy s3://\(from.bucket)/\(TerminalSafe.escape(t.sourceKey)) to "
                                            + "s3://\(to.bucket)/\(TerminalSafe.escape(t.destinationKey))", t.size)
                                }
                            } else {
                                engine.waitForRoom(limit: inFlight)
                                engine.copy(targets, from: from.bucket, to: to.bucket)
                            }
                        }
                    }
                } else {
                    // One batch: two sources whose objects land on one file are a collision.
                    let batch = engine.newBatch()
                    for source in sources where !engine.cancel.isCancelled {
                        let uri = try S3URI(parsing: source)
                        try downloadPlan(client: client, uri: uri, destination: destination,
                                         cancel: engine.cancel) { targets, bad in
                            report.refuse(bad.map { (TerminalSafe.escape($0.0), $0.1) })
                            if dryRun {
                                for t in targets {
                                    dry.add("download s3://\(uri.bucket)/\(TerminalSafe.escape(t.key)) to "
                                            + TerminalSafe.escape(t.local), t.size)
                                }
                            } else {
                                engine.waitForRoom(limit: inFlight)
                                engine.download(targets, bucket: uri.bucket, batch: batch)
                            }
                        }
                    }
                }
            }
            if dryRun {
                Self.report(refused: refused, empty: empty)
                do {
                    try queueing()
                } catch S3Error.cancelled where interruption.received != nil {
                    throw ExitCode(128 + interruption.received!)
                }
                StandardError.write("dry run: \(dry.count) transfers, \(ByteCount.format(dry.bytes)); "
                                    + "nothing was transferred\n")
            } else {
                do {
                    try Self.runWithProgress(engine, interruption: interruption, refused: refused, empty: empty,
                                             report: report, queueing: queueing)
                } catch let stop as ExitCode where invalidate && stop == ExitCode(1) {
                    // Some were skipped or failed: what was written is still stale on the CDN.
                    try invalidateWritten(client: client, destination: destination, report: report)
                    throw stop
                }
                if invalidate { try invalidateWritten(client: client, destination: destination, report: report) }
            }
            if !refused.isEmpty || !empty.isEmpty || report.refusedCount > 0 { throw ExitCode(1) }
        }
    }

    /// `--invalidate`: the keys written, one path each, or past 100 the destination prefix as
    /// one wildcard (CloudFront counts it as one path).
    func invalidateWritten(client: S3Client, destination: String, report: StreamReport) throws {
        let (count, keys) = report.written
        guard count > 0 else { return }
        let to = try S3URI(parsing: destination)
        let prefix = to.key.isEmpty || to.key.hasByteSuffix("/") ? to.key : S3URI.parent(of: to.key)
        let targets = count > keys.count || count > 100 ? [InvalidationTarget.prefix(prefix)]
            : keys.map { InvalidationTarget.key($0) }
        try InvalidateCommand.invalidate(client: client, bucket: to.bucket, targets: targets,
                                         distribution: nil, wait: true, json: false, discover: true)
    }

    static func report(refused: [(what: String, why: String)], empty: [String]) {
        for r in refused { StandardError.write("pail: skipped \(r.what): \(TerminalSafe.escape(r.why))\n") }
        for folder in empty { StandardError.write("pail: \(TerminalSafe.escape(folder)) holds no file to upload\n") }
    }

    /// The folder keys share, by bytes (a String's hasPrefix takes "e" + U+0301 and "é" for
    /// one): their common byte prefix cut after its last "/"; a single key is its own.
    static func commonFolder(_ keys: [String]) -> String {
        guard let first = keys.first else { return "" }
        var common = Array(first.utf8)
        for key in keys.dropFirst() {
            var n = 0
            for b in key.utf8 {
                guard n < common.count, common[n] == b else { break }
                n += 1
            }
            common.removeSubrange(n...)
        }
        if keys.count > 1 {
            common = common.lastIndex(of: UInt8(ascii: "/")).map { Array(common[...$0]) } ?? []
        }
        return String(decoding: common, as: UTF8.self)
    }

    /// One object (to a file or into a folder) or, with -r, everything under a prefix: each
    /// listed page is planned (`TransferPlanner`, as the browser's downloads) and handed to
    /// `each` while the next is listed.
    func downloadPlan(client: S3Client, uri: S3URI, destination: String, cancel: CancellationFlag,
                      each: ([TransferEngine.DownloadTarget], [(String, String)]) throws -> Void) throws {
        var isDir: ObjCBool = false
        let destIsDir = FileManager.default.fileExists(atPath: destination, isDirectory: &isDir) && isDir.boolValue
        let planner = TransferPlanner(client: client, bucket: uri.bucket, cancel: cancel)
        if !recursive {
            guard !uri.key.isEmpty, !uri.key.hasByteSuffix("/") else {
                throw S3Error.configuration("\(uri) is a prefix: add -r to download everything under it")
            }
            if !(destIsDir || destination.hasByteSuffix("/")) {
                // A file the person named: its name is theirs, not the key's.
                let head = try client.headObject(bucket: uri.bucket, key: uri.key)
                return try each([.init(key: uri.key, size: head.size, etag: head.etag, local: destination)], [])
            }
        }
        // Pages are planned in key order as they come: a file that is also a folder, or a
        // repeated key, is found across pages in memory bounded by the key's length.
        let source = TransferPlanner.download(key: uri.key, recursive: recursive)
        try planner.downloads([source], into: destination) { plan in
            try each(plan.targets, plan.refused.map { ($0.key, $0.reason) })
        }
    }

    /// One object (to a key, or into a prefix when the destination ends in "/" or there are
    /// several sources) or, with -r, everything under a prefix: `s3://b/media/2023` copies
    /// into `DEST/2023/`, `s3://b/media/2023/` into `DEST/` (as folders upload). Each listed
    /// page is planned (`TransferPlanner`, as the browser's copies) and handed to `each` while
    /// the next is listed.
    func copyPlan(client: S3Client, from: S3URI, to: S3URI, several: Bool, cancel: CancellationFlag,
                  each: ([TransferEngine.CopyTarget], [(String, String)]) throws -> Void) throws {
        let intoPrefix = to.key.isEmpty || to.key.hasByteSuffix("/") || several || recursive
        let base = intoPrefix ? S3URI.boundedPrefix(to.key) : to.key
        let planner = TransferPlanner(client: client, bucket: from.bucket, cancel: cancel)
        if !recursive {
            guard !from.key.isEmpty, !from.key.hasByteSuffix("/") else {
                throw S3Error.configuration("\(from) is a prefix: add -r to copy everything under it")
            }
        }
        let source = TransferPlanner.copy(key: from.key, recursive: recursive, intoPrefix: intoPrefix)
        try planner.copies([source], to: to.bucket, prefix: base) { plan in
            try each(plan.targets, plan.refused.map { ($0.key, $0.reason) })
        }
    }

    /// Runs `queueing` (which may list and queue while transfers run) and waits for the engine,
    /// drawing one progress line on a terminal; Ctrl-C, SIGTERM and SIGHUP cancel cleanly.
    /// Skipped and failed transfers are named as they finish; the summary counts every
    /// transfer and everything left out. `identical`: found the same before anything was
    /// queued (sync compares while planning).
    static func runWithProgress(_ engine: TransferEngine, interruption: Interruption,
                                refused: [(what: String, why: String)], empty: [String], identical: Int = 0,
                                report: StreamReport = StreamReport(), queueing: () throws -> Void = {}) throws {
        let tty = StandardError.isTerminal
        let started = Date()
        report.tty = tty
        // An engine that keeps its items (sync queues them all first) is reported from them at
        // the end, so none is named twice or missed; a streaming one as each finishes.
        let live = !engine.options.keepsFinished
        if live { engine.onFinish = { [report] item in report.finished(item) } }
        let drawing = DispatchSemaphore(value: 0)
        let stopDrawing = CancellationFlag()
        DispatchQueue.global().async {
            while !stopDrawing.isCancelled {
                if tty && !interruption.hungUp { report.draw(Self.progressLine(engine, since: started)) }
                Thread.sleep(forTimeInterval: 0.1)
            }
            drawing.signal()
        }
        var listingError: Error?
        do {
            try queueing()
        } catch S3Error.cancelled where interruption.received != nil {
            // Ctrl-C during the listing: the summary below says what was done.
        } catch {
            // A listing failed part way while earlier pages transfer: stop those cleanly
            // (uploads aborted, temporaries removed) before pail exits with the error.
            listingError = error
            engine.cancelAll()
        }
        engine.waitUntilFinished()
        stopDrawing.cancel()
        drawing.wait()
        if tty && !interruption.hungUp { report.draw(Self.progressLine(engine, since: started), end: true) }
        if let listingError { throw listingError }
        if !live { for item in engine.snapshot { report.finished(item) } }
        let totals = engine.totals
        Self.report(refused: refused, empty: empty)
        let skipped = totals.skipped + refused.count + report.refusedCount
        let unchanged = totals.unchanged + identical
        // Queued ones too: they never started (cancelAll marks them).
        let cancelled = totals.cancelled + (totals.registered - totals.finished)
        let seconds = max(0.001, Date().timeIntervalSince(started))
        let same = unchanged > 0 ? ", \(unchanged) already identical" : ""
        let stopped = cancelled > 0 ? ", \(cancelled) cancelled" : ""
        StandardError.write("\(totals.done) done\(same), \(skipped) skipped, \(totals.failed) failed\(stopped); "
                            + "\(ByteCount.format(totals.doneBytes)) in \(String(format: "%.1f", seconds)) s\n")
        if totals.gzipEncoded > 0 {
            let n = totals.gzipEncoded
            StandardError.write("\(n) object\(n == 1 ? " is" : "s are") stored gzip-encoded (Content-Encoding: gzip): "
                                + (engine.options.gunzip ? "written decoded\n"
                                   : "written as stored, compressed; --gunzip writes them decoded\n"))
        }
        if let signal = interruption.received {
            StandardError.write("pail: interrupted (\(Interruption.name(signal))); "
                                + "unfinished uploads were aborted and no partial file was kept\n")
            throw ExitCode(128 + signal)
        }
        // A skipped file (it existed) is not a copy: scripts must learn that from the status.
        if totals.failed > 0 || skipped > 0 || cancelled > 0 { throw ExitCode(1) }
    }

    static func progressLine(_ engine: TransferEngine, since: Date) -> String {
        let totals = engine.totals
        let running = engine.snapshot.filter { !$0.isFinished }
        let moved = totals.finishedBytes + running.reduce(Int64(0)) { $0 + min($1.transferred, $1.size) }
        let elapsed = max(0.001, Date().timeIntervalSince(since))
        let rate = Double(moved) / elapsed
        let eta = rate > 0 ? Int(Double(totals.bytes - moved) / rate) : 0
        let pct = totals.bytes > 0 ? Int(Double(moved) * 100 / Double(totals.bytes)) : 100
        return "\(totals.finished)/\(totals.registered) files  \(ByteCount.format(moved)) of "
            + "\(ByteCount.format(totals.bytes)) (\(pct)%)  \(ByteCount.format(Int64(rate)))/s  ETA \(eta)s"
    }
}

/// What a dry run would transfer, printed as it is planned.
private final class DryRun {
    var count = 0
    var bytes: Int64 = 0

    func add(_ what: String, _ size: Int64) {
        StandardOutput.shared.write("(dry run) \(what)\n")
        count += 1
        bytes += size
    }
}
