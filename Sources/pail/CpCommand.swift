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

    @Flag(name: [.short, .customLong("recursive")], help: "Folders (upload) or prefixes (download, copy), with everything below.")
    var recursive = false
    @Option(name: .customLong("content-type"), help: "Content-Type (default: guessed from each name).")
    var contentType: String?
    @Option(name: .customLong("cache-control"), help: "Cache-Control, e.g. \"public, max-age=31536000\".")
    var cacheControl: String?
    @Option(name: .customLong("content-encoding"), help: "Content-Encoding, e.g. gzip (for files already compressed).")
    var contentEncoding: String?
    @Option(name: .customLong("content-disposition"), help: "Content-Disposition.")
    var contentDisposition: String?
    @Option(name: .customLong("content-language"), help: "Content-Language.")
    var contentLanguage: String?
    @Option(name: .customLong("metadata"), help: "User metadata k=v (repeatable).")
    var metadata: [String] = []
    @Flag(help: "Compress text types (CSS, JS, SVG, JSON, ...) with gzip and set Content-Encoding: gzip.")
    var gzip = false
    @Flag(help: "Replace existing local files.")
    var overwrite = false
    @Flag(help: "Uploads: leave objects that already hold the same bytes (size and MD5 or multipart ETag; after --gzip).")
    var skipIdentical = false
    @Flag(help: "Print what would be transferred, one line each, and transfer nothing (before any --skip-identical comparison).")
    var dryRun = false
    @Option(help: "Requests in flight at once.")
    var concurrency = 16
    @Option(name: .customLong("part-size"), help: "Multipart part size and threshold, in MiB (grows to keep under 10,000 parts); also the download range size.")
    var partSizeMiB: Int?
    // Bytes; for tests of the multipart copy path without 5 GiB objects.
    @Option(name: .customLong("multipart-copy-threshold"), help: .hidden)
    var multipartCopyThreshold: Int64?
    @Option(name: .customLong("copy-part-size"), help: .hidden)
    var copyPartSize: Int64?

    @Argument(help: "Sources, then the destination.")
    var paths: [String]

    func validate() throws {
        guard paths.count >= 2 else { throw ValidationError("give a source and a destination") }
        guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency is 1 to 256") }
        if let p = partSizeMiB, p < 5 || p > 5120 { throw ValidationError("--part-size is 5 to 5120 MiB") }
    }

    func run() throws {
        try runReportingErrors {
            let destination = paths.last!
            let sources = Array(paths.dropLast())
            let upload = !sources.contains(where: S3URI.isS3) && S3URI.isS3(destination)
            let download = sources.allSatisfy(S3URI.isS3) && !S3URI.isS3(destination)
            let copy = sources.allSatisfy(S3URI.isS3) && S3URI.isS3(destination)
            guard upload || download || copy else {
                throw ValidationError("copy local files to s3://..., s3://... objects to a local path, or s3://... to s3://...")
            }
            if copy && (contentType != nil || cacheControl != nil || contentEncoding != nil || contentDisposition != nil
                        || contentLanguage != nil || !metadata.isEmpty || gzip) {
                throw ValidationError("a copy within S3 keeps the source's headers; change them afterwards with pail set-headers")
            }
            let env = ProcessInfo.processInfo.environment
            let (config, warning) = PailConfig.load(environment: env)
            if let warning { StandardError.write("pail: \(warning)\n") }
            let client = try global.makeClient()
            var options = TransferOptions()
            options.concurrency = concurrency
            if let p = partSizeMiB {
                options.partSize = Int64(p) << 20
                options.downloadPartSize = options.partSize
            }
            options.multipartThreshold = options.partSize
            options.overwrite = overwrite
            if let t = multipartCopyThreshold { options.multipartCopyThreshold = t }
            if let p = copyPartSize { options.copyPartSize = p }
            options.gzip = gzip
            options.uploadRules = config.uploadRules
            var headers = UploadHeaders()
            headers.contentType = contentType
            headers.cacheControl = cacheControl
            headers.contentEncoding = contentEncoding
            headers.contentDisposition = contentDisposition
            headers.contentLanguage = contentLanguage
            headers.metadata = try metadata.map { pair in
                guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw ValidationError("--metadata takes name=value, got \"\(pair)\"") }
                return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
            }
            options.headers = headers
            var refused: [(String, String)] = []
            if skipIdentical && !upload { throw ValidationError("--skip-identical is for uploads") }
            var uploads: (bucket: String, plan: [TransferEngine.UploadSource])?
            if upload {
                let uri = try S3URI(parsing: destination)
                let plan = try TransferEngine.planUpload(paths: sources, bucket: uri.bucket, destination: uri.key, recursive: recursive)
                if skipIdentical && !dryRun {  // a dry run lists before any comparison
                    // One listing of where the files go rather than a HEAD per file: the keys'
                    // common prefix (a single key is its own).
                    var folder = plan.first?.key ?? ""
                    for p in plan.dropFirst() { while !p.key.hasPrefix(folder) { folder.removeLast() } }
                    if plan.count > 1 { folder = folder.lastIndex(of: "/").map { String(folder[...$0]) } ?? "" }
                    let wanted = Set(plan.map { ObjectKey($0.key) })
                    try RecursiveLister(client: client).list(bucket: uri.bucket, prefix: folder) { objects in
                        for o in objects where wanted.contains(o.objectKey) { options.existing[o.objectKey] = (o.size, o.etag) }
                    }
                    options.skipIdentical = true
                }
                uploads = (uri.bucket, plan)
            }
            let engine = TransferEngine(client: client, options: options)
            var planned: [(what: String, size: Int64)] = []  // --dry-run
            if let uploads {
                if dryRun {
                    planned = uploads.plan.map { ("upload \(TerminalSafe.escape($0.path)) to s3://\(uploads.bucket)/\(TerminalSafe.escape($0.key))", $0.size) }
                } else {
                    engine.upload(uploads.plan, bucket: uploads.bucket)
                }
            } else if copy {
                let to = try S3URI(parsing: destination)
                for source in sources {
                    let from = try S3URI(parsing: source)
                    let (targets, bad) = try copyPlan(client: client, from: from, to: to, several: sources.count > 1)
                    refused += bad
                    if dryRun {
                        planned += targets.map { ("copy s3://\(from.bucket)/\(TerminalSafe.escape($0.sourceKey)) to s3://\(to.bucket)/\(TerminalSafe.escape($0.destinationKey))", $0.size) }
                    } else {
                        engine.copy(targets, from: from.bucket, to: to.bucket)
                    }
                }
            } else {
                for source in sources {
                    let uri = try S3URI(parsing: source)
                    let (targets, bad) = try downloadPlan(client: client, uri: uri, destination: destination)
                    refused += bad
                    if dryRun {
                        planned += targets.map { ("download s3://\(uri.bucket)/\(TerminalSafe.escape($0.key)) to \(TerminalSafe.escape($0.local))", $0.size) }
                    } else {
                        engine.download(targets, bucket: uri.bucket)
                    }
                }
            }
            for (key, reason) in refused { StandardError.write("pail: skipped \(TerminalSafe.escape(key)): \(reason)\n") }
            if dryRun {
                for p in planned { StandardOutput.shared.write("(dry run) \(p.what)\n") }
                let total = planned.reduce(Int64(0)) { $0 + $1.size }
                StandardError.write("dry run: \(planned.count) transfers, \(ByteCount.format(total)); nothing was transferred\n")
            } else {
                try runWithProgress(engine)
            }
            if !refused.isEmpty { throw ExitCode(1) }
        }
    }

    /// One object (to a file or into a folder) or, with -r, everything under a prefix.
    func downloadPlan(client: S3Client, uri: S3URI, destination: String) throws
        -> ([TransferEngine.DownloadTarget], [(String, String)]) {
        var isDir: ObjCBool = false
        let destIsDir = FileManager.default.fileExists(atPath: destination, isDirectory: &isDir) && isDir.boolValue
        if !recursive {
            guard !uri.key.isEmpty, !uri.key.hasSuffix("/") else { throw S3Error.configuration("\(uri) is a prefix: add -r to download everything under it") }
            let head = try client.headObject(bucket: uri.bucket, key: uri.key)
            let object = ObjectSummary(key: uri.key, size: head.size, lastModified: head.lastModified, etag: head.etag, storageClass: nil)
            if destIsDir || destination.hasSuffix("/") {
                let plan = TransferEngine.planDownload(objects: [object], prefix: S3URI.parent(of: uri.key), destination: destination)
                return (plan.targets, plan.refused)
            }
            return ([.init(key: uri.key, size: head.size, etag: head.etag, local: destination)], [])
        }
        let prefix = S3URI.boundedPrefix(uri.key)
        var objects: [ObjectSummary] = []
        try RecursiveLister(client: client).list(bucket: uri.bucket, prefix: prefix) { objects += $0 }
        let plan = TransferEngine.planDownload(objects: objects, prefix: prefix, destination: destination)
        return (plan.targets, plan.refused)
    }

    /// One object (to a key, or into a prefix when the destination ends in "/" or there are
    /// several sources) or, with -r, everything under a prefix: `s3://b/media/2023` copies
    /// into `DEST/2023/`, `s3://b/media/2023/` into `DEST/` (as folders upload).
    func copyPlan(client: S3Client, from: S3URI, to: S3URI, several: Bool) throws
        -> ([TransferEngine.CopyTarget], [(String, String)]) {
        let intoPrefix = to.key.isEmpty || to.key.hasSuffix("/") || several || recursive
        let base = intoPrefix ? S3URI.boundedPrefix(to.key) : to.key
        if !recursive {
            guard !from.key.isEmpty, !from.key.hasSuffix("/") else {
                throw S3Error.configuration("\(from) is a prefix: add -r to copy everything under it")
            }
            let head = try client.headObject(bucket: from.bucket, key: from.key)
            let object = ObjectSummary(key: from.key, size: head.size, lastModified: nil, etag: head.etag, storageClass: nil)
            let plan = intoPrefix
                ? TransferEngine.planCopy(objects: [object], prefix: S3URI.parent(of: from.key), sourceBucket: from.bucket,
                                          destinationBucket: to.bucket, destinationPrefix: base)
                : TransferEngine.planCopy(objects: [object], prefix: from.key, sourceBucket: from.bucket,
                                          destinationBucket: to.bucket, destinationPrefix: to.key)
            return (plan.targets, plan.refused.map { ($0.key, $0.reason) })
        }
        let prefix = S3URI.boundedPrefix(from.key)
        // Without a trailing slash the prefix's own name is kept, as a folder's on upload.
        let strip = from.key.isEmpty || from.key.hasSuffix("/") ? prefix : S3URI.parent(of: prefix)
        var objects: [ObjectSummary] = []
        try RecursiveLister(client: client).list(bucket: from.bucket, prefix: prefix) { objects += $0 }
        let plan = TransferEngine.planCopy(objects: objects, prefix: strip, sourceBucket: from.bucket,
                                           destinationBucket: to.bucket, destinationPrefix: base)
        return (plan.targets, plan.refused.map { ($0.key, $0.reason) })
    }

    /// Waits for the engine, drawing one progress line on a terminal; Ctrl-C cancels cleanly.
    func runWithProgress(_ engine: TransferEngine) throws {
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { engine.cancelAll() }
        interrupt.resume()
        defer { interrupt.cancel(); signal(SIGINT, SIG_DFL) }
        let tty = StandardError.isTerminal
        let started = Date()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            engine.waitUntilFinished()
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if tty { StandardError.write("\r" + Self.progressLine(engine.snapshot, since: started) + "\u{1B}[K") }
        }
        let items = engine.snapshot
        if tty { StandardError.write("\r" + Self.progressLine(items, since: started) + "\u{1B}[K\n") }
        var failed = 0, skipped = 0, doneCount = 0, unchanged = 0
        for item in items {
            let what = item.direction == .download
                ? "s3://\(item.bucket)/\(TerminalSafe.escape(item.key)) to \(TerminalSafe.escape(item.local))"
                : "\(TerminalSafe.escape(item.local)) to s3://\(item.bucket)/\(TerminalSafe.escape(item.key))"
            switch item.state {
            case .done: doneCount += 1
            case .unchanged: unchanged += 1
            case .skipped(let why): skipped += 1; StandardError.write("pail: skipped \(what): \(why)\n")
            case .failed(let why): failed += 1; StandardError.write("pail: failed \(what): \(TerminalSafe.escape(why))\n")
            case .cancelled: failed += 1
            default: break
            }
        }
        let bytes = items.filter { $0.state == .done }.reduce(Int64(0)) { $0 + $1.size }
        let seconds = max(0.001, Date().timeIntervalSince(started))
        let same = unchanged > 0 ? ", \(unchanged) already identical" : ""
        StandardError.write("\(doneCount) done\(same), \(skipped) skipped, \(failed) failed; \(ByteCount.format(bytes)) in \(String(format: "%.1f", seconds)) s\n")
        if engine.cancel.isCancelled {
            StandardError.write("pail: interrupted; unfinished uploads were aborted and no partial file was kept\n")
            throw ExitCode(130)
        }
        // A skipped file (it existed) is not a copy: scripts must learn that from the status.
        if failed > 0 || skipped > 0 { throw ExitCode(1) }
    }

    static func progressLine(_ items: [TransferItem], since: Date) -> String {
        let total = items.reduce(Int64(0)) { $0 + $1.size }
        let moved = items.reduce(Int64(0)) { $0 + min($1.transferred, $1.size) }
        let finished = items.filter { if case .queued = $0.state { return false }; if case .running = $0.state { return false }; return true }.count
        let elapsed = max(0.001, Date().timeIntervalSince(since))
        let rate = Double(moved) / elapsed
        let eta = rate > 0 ? Int(Double(total - moved) / rate) : 0
        let pct = total > 0 ? Int(Double(moved) * 100 / Double(total)) : 100
        return "\(finished)/\(items.count) files  \(ByteCount.format(moved)) of \(ByteCount.format(total)) (\(pct)%)  \(ByteCount.format(Int64(rate)))/s  ETA \(eta)s"
    }
}
