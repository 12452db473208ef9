import Foundation
import S3

/// Plans and runs uploads and downloads with bounded parallelism. Bodies stream from and to
/// files; memory stays bounded by curl's buffers whatever the file size. Failures and
/// cancellation leave no partial file at a final path and no multipart upload behind.
public final class TransferEngine: @unchecked Sendable {
    public let client: S3Client
    public let options: TransferOptions
    public let cancel = CancellationFlag()
    private let queue: WorkerPool
    /// Parts and ranges of large files: their own pool, so a file never waits for a thread
    /// that its own parts need.
    private let partPool: WorkerPool
    private let lock = NSLock()
    private var items: [Int: TransferItem] = [:]
    /// One flag per transfer, so one can be cancelled alone; `cancel` stops them all.
    private var flags: [Int: CancellationFlag] = [:]
    /// Download folders opened in this run, by the path named.
    private var destinations: [ObjectKey: SafeDestination] = [:]
    /// The files each batch of downloads wrote, and the key each holds (see `commit`), and
    /// the transfers of each batch, so a finished batch's record can be dropped.
    private var written: [Int: [FileID: String]] = [:]
    /// Unfinished downloads per batch, and the batch of each download in flight.
    private var pendingInBatch: [Int: Int] = [:]
    private var batchOf: [Int: Int] = [:]
    /// Streaming engines (`keepsFinished` false) record at most this many files per batch;
    /// past it, a file an overwrite would replace that changed since the batch began (its
    /// ctime) is refused as a possible collision instead, so memory does not grow with the
    /// listing and nothing written in this run is silently replaced.
    static let writtenRecordLimit = 10_000
    private var batchStart: [Int: timespec] = [:]
    private var nextBatch = 0
    private var totalsSoFar = TransferTotals()
    private let room = NSCondition()
    /// Called once per transfer when it finishes, on the worker's thread (set before queueing).
    public var onFinish: (@Sendable (TransferItem) -> Void)?
    private let commitLock = NSLock()
    /// Write buffers of the downloads in flight, reused: a fresh buffer per range is mapped,
    /// faulted in and unmapped each time, which costs system time in every stream.
    private let sinkBuffers = BufferPool(size: FileSink.bufferSize)
    private var nextID = 0

    public init(client: S3Client, options: TransferOptions) {
        self.client = client
        self.options = options
        queue = WorkerPool(threads: options.concurrency)
        partPool = WorkerPool(threads: max(1, min(options.concurrency, TransferOptions.streamsPerFile)))
    }

    /// Every transfer kept: all of them, or with `keepsFinished` false those not yet finished.
    public var snapshot: [TransferItem] { lock.withLock { items.values.sorted { $0.id < $1.id } } }

    public var totals: TransferTotals { lock.withLock { totalsSoFar } }

    /// Blocks while more than `limit` transfers are unfinished (or until cancelled): a
    /// listing that feeds the engine waits here rather than queueing the whole prefix.
    public func waitForRoom(limit: Int) {
        room.lock()
        while !cancel.isCancelled && lock.withLock({ totalsSoFar.registered - totalsSoFar.finished }) > limit {
            _ = room.wait(until: Date(timeIntervalSinceNow: 0.2))
        }
        room.unlock()
    }

    public func waitUntilFinished() { queue.waitUntilIdle() }

    /// Stops everything. Transfers that never started are dropped from the queue and become
    /// `.cancelled` at once, so a summary counts them (they stayed `.queued` before).
    public func cancelAll() {
        cancel.cancel()
        lock.withLock { flags.values.forEach { $0.cancel() } }
        queue.cancelPending()
        let ids = lock.withLock { items.compactMap { $0.value.state == .queued ? $0.key : nil } }
        for id in ids { update(id) { if $0.state == .queued { $0.state = .cancelled } } }
    }

    /// Cancels one transfer; its request stops at once and nothing partial is kept.
    public func cancel(id: Int) {
        lock.withLock { flags[id] }?.cancel()
    }

    private func flag(_ id: Int) -> CancellationFlag { lock.withLock { flags[id] } ?? cancel }

    // MARK: Planning

    public struct UploadSource: Sendable {
        public var path: String
        public var key: String
        public var size: Int64
        /// The file's inode when it was planned: a file replaced since (by a link to another
        /// file, say) is refused before a byte of it is read.
        public var inode: UInt64?
    }

    /// Files (and, with `recursive`, folders) under `destination` (a key, or a prefix ending in "/").
    /// Drops what `UploadPlan` skips; callers that report skipped entries use it directly.
    public static func planUpload(paths: [String], bucket: String, destination: String,
                                  recursive: Bool) throws -> [UploadSource] {
        try UploadPlan.make(paths: paths, destination: destination, recursive: recursive).sources
    }

    public struct DownloadTarget: Sendable {
        public var key: String
        public var size: Int64
        public var etag: String
        /// `folder` + "/" + `name`, for messages and displays.
        public var local: String
        /// The folder the person named (trusted as given, links included) and the path below
        /// it that comes from the key: its folders are opened without following links.
        public var folder: String
        public var name: String
        /// A file at a path the person gave: its folder is the one they named.
        public init(key: String, size: Int64, etag: String, local: String) {
            let parent = (local as NSString).deletingLastPathComponent
            self.init(key: key, size: size, etag: etag, folder: parent.isEmpty ? "." : parent,
                      name: (local as NSString).lastPathComponent)
            self.local = local
        }
        public init(key: String, size: Int64, etag: String, folder: String, name: String) {
            self.key = key
            self.size = size
            self.etag = etag
            self.folder = folder
            self.name = name
            local = folder + "/" + name
        }
    }

    /// Local paths for keys below `prefix`, refusing (with a reason) every key that cannot be
    /// a safe path inside `destination` (issue: "../", absolute paths, file-and-folder clashes,
    /// names the file system cannot hold). The rest goes on.
    public static func planDownload(objects: [ObjectSummary], prefix: String, destination: String)
        -> (targets: [DownloadTarget], refused: [(key: String, reason: String)]) {
        var targets: [DownloadTarget] = []
        var refused: [(String, String)] = []
        let dest = (destination as NSString).standardizingPath
        // Relative paths are compared as bytes, as the file system and S3 compare them.
        var folders = Set<ObjectKey>()
        var files = Set<ObjectKey>()
        var candidates: [(ObjectSummary, String)] = []
        for o in objects {
            guard o.key.hasBytePrefix(prefix) else {
                refused.append((o.key, "it is not below \(prefix) (the listing returned a key outside the prefix)"))
                continue
            }
            let relative = o.key.droppingBytePrefix(prefix)
            if relative.isEmpty || relative.utf8.last == UInt8(ascii: "/") { continue }  // folder markers
            if let reason = unsafeReason(relative) {
                refused.append((o.key, reason))
                continue
            }
            candidates.append((o, relative))
            files.insert(ObjectKey(relative))
            var parts = relative.byteSegments().dropLast()
            while !parts.isEmpty {
                folders.insert(ObjectKey(parts.joined(separator: "/")))
                parts = parts.dropLast()
            }
        }
        var planned = Set<ObjectKey>()
        for (o, relative) in candidates {
            if folders.contains(ObjectKey(relative)) {
                refused.append((o.key, "it is both a file and a folder (other keys continue below \(relative)/)"))
                continue
            }
            // A listing that repeats a key would otherwise download it twice onto one file
            // and count two downloads.
            guard planned.insert(ObjectKey(relative)).inserted else {
                refused.append((o.key, "the listing returned this key more than once; it is downloaded once"))
                continue
            }
            targets.append(DownloadTarget(key: o.key, size: o.size, etag: o.etag, folder: dest, name: relative))
        }
        return (targets, refused)
    }

    static func unsafeReason(_ relative: String) -> String? {
        if relative.hasBytePrefix("/") { return "an absolute path would land outside the destination" }
        let parts = relative.byteSegments()
        for p in parts {
            if p == ".." { return "\"..\" would land outside the destination" }
            if p == "." { return "\".\" is not a file name" }
            if p.isEmpty { return "an empty path segment (\"//\") is not a file name" }
            if p.utf8.count > 255 { return "a name longer than 255 bytes does not fit the file system" }
            if p.utf8.contains(0) { return "a NUL byte cannot be in a file name" }
        }
        return nil
    }

    // MARK: Running

    private func register(_ item: TransferItem) -> Int {
        lock.withLock {
            var i = item
            i.id = nextID
            nextID += 1
            items[i.id] = i
            flags[i.id] = CancellationFlag()
            totalsSoFar.registered += 1
            totalsSoFar.bytes += i.size
            return i.id
        }
    }

    /// Changes an item; the first time it becomes finished it is counted in the totals, handed
    /// to `onFinish` and, unless `keepsFinished`, forgotten.
    private func update(_ id: Int, _ change: (inout TransferItem) -> Void) {
        let finished: TransferItem? = lock.withLock {
            guard var i = items[id] else { return nil }
            let size = i.size
            change(&i)
            totalsSoFar.bytes += i.size - size
            guard i.isFinished else {
                items[id] = i
                return nil
            }
            fold(i)
            if options.keepsFinished { items[id] = i } else { items[id] = nil; flags[id] = nil }
            return i
        }
        guard let finished else { return }
        room.lock()
        room.broadcast()
        room.unlock()
        onFinish?(finished)
    }

    /// Under `lock`: counts a finished item.
    private func fold(_ i: TransferItem) {
        totalsSoFar.finishedBytes += min(i.transferred, i.size)
        switch i.state {
        case .done:
            totalsSoFar.done += 1
            totalsSoFar.doneBytes += i.size
            if i.gzipEncoded { totalsSoFar.gzipEncoded += 1 }
        case .unchanged: totalsSoFar.unchanged += 1
        case .skipped: totalsSoFar.skipped += 1
        case .failed: totalsSoFar.failed += 1
        case .cancelled, .queued, .running: totalsSoFar.cancelled += 1
        }
        if let b = batchOf.removeValue(forKey: i.id) { pendingInBatch[b, default: 1] -= 1 }
    }

    /// Queues uploads; returns their ids. Headers come from options, the configuration's
    /// rules, and the file name.
    @discardableResult
    public func upload(_ sources: [UploadSource], bucket: String) -> [Int] {
        sources.map { src in
            let id = register(TransferItem(id: 0, direction: .upload, local: src.path, bucket: bucket, key: src.key,
                                           size: src.size))
            queue.submit { [self] in runUpload(id, src, bucket: bucket) }
            return id
        }
    }

    /// A batch of downloads: within one, two keys never end in one local file (`commit`).
    /// A later batch may replace what an earlier one wrote (downloading a folder again).
    public func newBatch() -> Int {
        var now = timespec()
        // The clock file times come from, so a file changed after this moment is never older.
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        return lock.withLock {
            nextBatch += 1
            batchStart[nextBatch] = now
            return nextBatch
        }
    }

    /// Queues downloads; `overwrite` (default: the options') decides for existing files, and
    /// `gunzip` (default: the options') whether gzip-encoded objects are written decoded (the
    /// browser asks per download). `batch` (default: a new one) groups calls that must not
    /// collide with each other.
    @discardableResult
    public func download(_ targets: [DownloadTarget], bucket: String, overwrite: Bool? = nil,
                         batch: Int? = nil, gunzip: Bool? = nil) -> [Int] {
        let batch = batch ?? newBatch()
        lock.withLock {
            // Only files written by transfers still running can collide: forget finished batches.
            for (b, n) in pendingInBatch where b != batch && n <= 0 {
                pendingInBatch[b] = nil
                written[b] = nil
                batchStart[b] = nil
            }
        }
        return targets.map { t in
            let id = register(TransferItem(id: 0, direction: .download, local: t.local, bucket: bucket, key: t.key,
                                           size: t.size))
            // Counted before it is queued, so it is counted before it can finish.
            lock.withLock {
                pendingInBatch[batch, default: 0] += 1
                batchOf[id] = batch
            }
            queue.submit { [self] in
                runDownload(id, t, bucket: bucket, batch: batch, overwrite: overwrite ?? options.overwrite,
                            gunzip: gunzip ?? options.gunzip)
            }
            return id
        }
    }

    public struct CopyTarget: Sendable {
        public var sourceKey: String
        public var size: Int64
        public var etag: String
        public var destinationKey: String
        public init(sourceKey: String, size: Int64, etag: String, destinationKey: String) {
            self.sourceKey = sourceKey
            self.size = size
            self.etag = etag
            self.destinationKey = destinationKey
        }
    }

    /// Copies of `objects` (all below `prefix`) to `destinationPrefix` + the rest of each key.
    /// A copy onto itself is refused with its reason: header edits do that, keeping the ACL.
    public static func planCopy(objects: [ObjectSummary], prefix: String, sourceBucket: String,
                                destinationBucket: String, destinationPrefix: String)
        -> (targets: [CopyTarget], refused: [(key: String, reason: String)]) {
        var targets: [CopyTarget] = []
        var refused: [(String, String)] = []
        for o in objects {
            guard o.key.hasBytePrefix(prefix) else {
                refused.append((o.key, "it is not below \(prefix) (the listing returned a key outside the prefix)"))
                continue
            }
            let destination = destinationPrefix + o.key.droppingBytePrefix(prefix)
            if sourceBucket == destinationBucket && o.key.bytesEqual(destination) {
                refused.append((o.key, "it would be copied onto itself; pail set-headers edits an object in place"))
            } else {
                targets.append(CopyTarget(sourceKey: o.key, size: o.size, etag: o.etag, destinationKey: destination))
            }
        }
        return (targets, refused)
    }

    /// Queues copies from `sourceBucket` to `bucket`, done by the server: the bytes never
    /// pass through pail.
    @discardableResult
    public func copy(_ targets: [CopyTarget], from sourceBucket: String, to bucket: String) -> [Int] {
        targets.map { t in
            let id = register(TransferItem(id: 0, direction: .copy, local: "s3://\(sourceBucket)/\(t.sourceKey)",
                                           bucket: bucket, key: t.destinationKey, size: t.size))
            queue.submit { [self] in runCopy(id, t, from: sourceBucket, to: bucket) }
            return id
        }
    }

    func headers(for src: UploadSource, bucket: String) -> [(String, String)] {
        var h = options.headers.headers(forKey: src.key)
        // Configuration rules fill in what the command line did not set.
        for rule in options.uploadRules where (rule.bucket == nil || rule.bucket == bucket) && rule.matches(src.key) {
            for (name, value) in rule.headers
            where !h.contains(where: { $0.0.lowercased() == name.lowercased() })
                || (name == "Content-Type" && options.headers.contentType == nil) {
                h.removeAll { $0.0.lowercased() == name.lowercased() }
                h.append((name, value))
            }
        }
        return h
    }

    private func finish(_ id: Int, _ state: TransferItem.State) {
        let cancelled = flag(id).isCancelled
        update(id) { $0.state = cancelled && state != .done ? .cancelled : state }
    }

    private func runUpload(_ id: Int, _ original: UploadSource, bucket: String) {
        let cancel = flag(id)
        if cancel.isCancelled { return finish(id, .cancelled) }
        update(id) { $0.state = .running }
        // What the file was when its reading began: a file that shrinks makes the read stop
        // short (which curl reports as an abort, once taken for a cancel), one that grows
        // would be cut at the planned size. Both are caught by comparing afterwards.
        let before = Self.fileState(original.path)
        if let inode = original.inode, let before, UInt64(bitPattern: before[1]) != inode {
            return finish(id, .failed("\(original.path) was replaced since it was listed (another file is there now); "
                                      + "nothing was sent"))
        }
        var src = original
        var headers = headers(for: src, bucket: bucket)
        var tempFile: String?
        defer { if let t = tempFile { unlink(t) } }
        do {
            if compresses(headers) {
                let gz = try Gzip.compressFile(src.path)
                tempFile = gz
                src.path = gz
                var st = stat()
                guard stat(gz, &st) == 0 else {
                    throw S3Error.local("cannot read \(gz): \(String(cString: strerror(errno)))")
                }
                src.size = Int64(st.st_size)
                headers.removeAll { $0.0 == "Content-Encoding" }
                headers.append(("Content-Encoding", "gzip"))
                update(id) { $0.size = src.size }
            }
            let changed = { Self.change(original, before: before) }
            let progress: TransferProgress = { [weak self] done, _ in self?.update(id) { $0.transferred = done } }
            if options.skipIdentical, let object = options.existing[ObjectKey(src.key)], try isIdentical(src, object) {
                update(id) { $0.size = src.size; $0.transferred = src.size }
                return finish(id, .unchanged)
            }
            if src.size > options.multipartThreshold {
                try multipartUpload(id, src, bucket: bucket, headers: headers, changed: changed, cancel: cancel)
            } else {
                let md5 = try StreamingDigest.ofFile(src.path, kind: .md5, length: UInt64(src.size))
                var h = headers
                h.append(("Content-MD5", md5.base64))
                let result = try client.putObject(bucket: bucket, key: src.key,
                                                  body: .file(path: src.path, offset: 0, length: UInt64(src.size)),
                                                  headers: h, contentMD5: false, progress: progress, cancel: cancel)
                if let change = changed() {
                    throw UploadCheckFailed(reason: "\(original.path) changed while it was being read (\(change))",
                                            removal: removeStored(bucket: bucket, key: src.key))
                }
                // The server checked Content-MD5 against the bytes it stored, so size and content
                // are right; a plain-MD5 ETag that differs still means something is wrong.
                if ETag.isPlainMD5(result.etag) && result.etag.lowercased() != md5.hex
                    && !headers.contains(where: { $0.0 == "x-amz-server-side-encryption" }) {
                    throw UploadCheckFailed(
                        reason: "uploaded s3://\(bucket)/\(src.key) has ETag \(result.etag), expected \(md5.hex)",
                        removal: removeStored(bucket: bucket, key: src.key))
                }
            }
            update(id) { $0.transferred = src.size }
            finish(id, .done)
        } catch let failed as UploadCheckFailed {
            finish(id, .failed("\(failed.reason); \(failed.removal)"))
        } catch {
            if (error as? S3Error)?.serviceCode == "BadDigest" {
                // The bytes sent differ from the bytes hashed just before.
                return finish(id, .failed("\(original.path) changed while it was being uploaded; "
                                          + "nothing was stored, try again"))
            }
            if let change = Self.change(original, before: before) {
                return finish(id, .failed(
                    "\(original.path) changed while it was being read (\(change)); nothing was stored, try again"))
            }
            finish(id, .failed(Self.reason(error)))
        }
    }

    /// A check after the object was stored failed; `removal` says what became of the object.
    private struct UploadCheckFailed: Error {
        var reason: String
        var removal: String
    }

    /// Deletes an object this upload stored but that failed its check, so no wrong bytes stay
    /// under the key; says which happened, for the message.
    private func removeStored(bucket: String, key: String) -> String {
        let uri = "s3://\(bucket)/\(key)"
        do {
            try client.deleteObject(bucket: bucket, key: key)
            return "pail removed the object it had stored at \(uri), try again"
        } catch {
            return "pail could not remove the object it stored (\(Self.reason(error))): delete \(uri) yourself"
        }
    }

    /// Size, inode and modification time of a file, or nil when it cannot be read.
    private static func fileState(_ path: String) -> [Int64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [Int64(st.st_size), Int64(bitPattern: UInt64(st.st_ino)),
                Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec)]
    }

    /// How the file differs from what was planned and from `before`, or nil if it does not.
    private static func change(_ src: UploadSource, before: [Int64]?) -> String? {
        guard let now = fileState(src.path) else { return "it can no longer be read" }
        if now[0] != src.size { return "\(src.size) bytes when planned, \(now[0]) now" }
        if let before, before != now { return "it was modified" }
        return nil
    }

    /// Whether the object already holds `src`'s bytes: same size, and its ETag is the file's
    /// MD5 or the multipart ETag this upload would produce (S3 rule 12). An ETag of another
    /// form (SSE-KMS, another part size) is not proof: the file goes up again.
    /// Whether `--gzip` compresses a file sent with these headers (text types not already encoded).
    private func compresses(_ headers: [(String, String)]) -> Bool {
        let type = headers.first { $0.0 == "Content-Type" }?.1 ?? ""
        return options.gzip && ContentTypes.isCompressible(type) && options.headers.contentEncoding == nil
    }

    /// Whether the upload of `src` goes up gzip'ed, so only its compressed bytes can be compared.
    func willCompress(_ src: UploadSource, bucket: String) -> Bool { compresses(headers(for: src, bucket: bucket)) }

    func isIdentical(_ src: UploadSource, _ object: (size: Int64, etag: String)) throws -> Bool {
        guard object.size == src.size else { return false }
        let etag = object.etag.lowercased()
        if ETag.isPlainMD5(etag) {
            return try StreamingDigest.ofFile(src.path, kind: .md5).hex == etag
        }
        let (partSize, count) = uploadParts(src.size)
        guard src.size > options.multipartThreshold, etag.hasSuffix("-\(count)") else { return false }
        let md5s = try (0..<count).map { n in
            let offset = Int64(n) * partSize
            return try StreamingDigest.ofFile(src.path, kind: .md5, offset: UInt64(offset),
                                              length: UInt64(min(partSize, src.size - offset)))
        }
        return ETag.multipart(partMD5s: md5s) == etag
    }

    /// The part size of a multipart upload of `size` bytes (S3 rule 11) and how many parts.
    private func uploadParts(_ size: Int64) -> (size: Int64, count: Int) {
        let partSize = TransferOptions.partSize(for: size, preferred: options.partSize)
        return (partSize, Int((size + partSize - 1) / partSize))
    }

    /// S3 rules 11 and 12: parts of one size, MD5 on each, abort on any failure; the object is
    /// checked against the multipart ETag computed from the parts' MD5s.
    private func multipartUpload(_ id: Int, _ src: UploadSource, bucket: String, headers: [(String, String)],
                                 changed: () -> String?, cancel: CancellationFlag) throws {
        let (partSize, count) = uploadParts(src.size)
        let uploadId = try client.createMultipartUpload(bucket: bucket, key: src.key, headers: headers)
        let partLock = NSLock()
        var etags = [String?](repeating: nil, count: count)
        var md5s = [[UInt8]](repeating: [], count: count)
        var sent = [Int64](repeating: 0, count: count)
        var firstError: Error?
        let group = DispatchGroup()
        for n in 0..<count {
            group.enter()
            partPool.submit { [self] in
                defer { group.leave() }
                if cancel.isCancelled || partLock.withLock({ firstError != nil }) { return }
                let offset = Int64(n) * partSize
                let length = min(partSize, src.size - offset)
                do {
                    // The part is read twice from the page cache, to hash it and to send it,
                    // rather than held in an 8 MiB buffer: half the memory (40 MiB instead of
                    // 80 for 1 GiB) and less CPU. Were the file to change in between, the
                    // server's Content-MD5 check refuses the part.
                    let md5 = try StreamingDigest.ofFile(src.path, kind: .md5, offset: UInt64(offset),
                                                         length: UInt64(length))
                    let body = RequestBody.file(path: src.path, offset: UInt64(offset), length: UInt64(length))
                    let etag = try client.uploadPart(bucket: bucket, key: src.key, uploadId: uploadId,
                                                     partNumber: n + 1, body: body, contentMD5: md5,
                                                     progress: { [weak self] done, _ in
                                                         let total: Int64 = partLock.withLock {
                                                             sent[n] = done; return sent.reduce(0, +)
                                                         }
                                                         self?.update(id) { $0.transferred = total }
                                                     }, cancel: cancel)
                    partLock.withLock { etags[n] = etag; md5s[n] = md5; sent[n] = length }
                } catch {
                    partLock.withLock { if firstError == nil { firstError = error } }
                }
            }
        }
        group.wait()
        do {
            if cancel.isCancelled { throw S3Error.cancelled }
            if let firstError { throw firstError }
            // Before completing: a file changed meanwhile is aborted, never stored.
            if let change = changed() { throw S3Error.local("\(src.path) changed while it was being read (\(change))") }
            let list = etags.enumerated().map { (number: $0.offset + 1, etag: $0.element ?? "") }
            _ = try client.completeMultipartUpload(bucket: bucket, key: src.key, uploadId: uploadId, parts: list)
        } catch {
            try? client.abortMultipartUpload(bucket: bucket, key: src.key, uploadId: uploadId)
            throw error
        }
        // The object now exists: a mismatch removes it (aborting would do nothing any more).
        let expected = ETag.multipart(partMD5s: md5s)
        if let mismatch = try mismatch(bucket: bucket, key: src.key, size: src.size, expectedETag: expected) {
            throw UploadCheckFailed(reason: mismatch, removal: removeStored(bucket: bucket, key: src.key))
        }
    }

    /// How the stored object differs from what was sent, or nil when it matches. A HEAD that
    /// fails throws: that is no proof of a bad object, which is then left alone.
    private func mismatch(bucket: String, key: String, size: Int64, expectedETag: String) throws -> String? {
        let head = try client.headObject(bucket: bucket, key: key)
        guard head.size == size else {
            return "uploaded s3://\(bucket)/\(key) has \(head.size) bytes, the file \(size)"
        }
        // S3 rule 12: an ETag is an MD5 (or an MD5 of part MD5s) only without SSE-KMS and in
        // the plain "hex" or "hex-N" forms; otherwise the Content-MD5 check the server made stands.
        guard head.serverSideEncryption != "aws:kms" else { return nil }
        let multipart = expectedETag.contains("-")
        let comparable = multipart ? head.etag.contains("-") : ETag.isPlainMD5(head.etag)
        if comparable && head.etag.lowercased() != expectedETag.lowercased() {
            return "uploaded s3://\(bucket)/\(key) has ETag \(head.etag), expected \(expectedETag)"
        }
        return nil
    }

    /// Up to 5 GiB, one CopyObject that keeps every header and the tags (COPY); above, a
    /// multipart copy sending the headers read from the source. If-Match pins the version that
    /// was listed (rule 13). ACLs are not copied: the copy gets the destination's defaults.
    private func runCopy(_ id: Int, _ t: CopyTarget, from sourceBucket: String, to bucket: String) {
        let cancel = flag(id)
        if cancel.isCancelled { return finish(id, .cancelled) }
        update(id) { $0.state = .running }
        do {
            if t.size > options.multipartCopyThreshold {
                let head = try client.headObject(bucket: sourceBucket, key: t.sourceKey)
                // A multipart copy carries tags only as a header of CreateMultipartUpload, which
                // some servers (Ceph RGW) drop: checked, and put back (see TagKeeper). A plain
                // copy keeps them on every server tested (tagging directive COPY).
                let snapshot = HeaderSnapshot(head: head)
                try TagKeeper(client: client).copy(from: (sourceBucket, t.sourceKey), to: (bucket, t.destinationKey),
                                                   tagCount: snapshot.tagCount, kind: .multipart) {
                    try client.multipartCopy(bucket: bucket, key: t.destinationKey, sourceBucket: sourceBucket,
                                             sourceKey: t.sourceKey, size: head.size, etag: head.etag,
                                             headers: snapshot.copyHeaders,
                                             partSize: TransferOptions.partSize(for: head.size,
                                                                                preferred: options.copyPartSize))
                }
                let copied = try client.headObject(bucket: bucket, key: t.destinationKey)
                guard copied.size == head.size else {
                    throw S3Error.local("the copy has \(copied.size) bytes, the source \(head.size)")
                }
            } else {
                let etag = try client.copyObject(bucket: bucket, key: t.destinationKey, sourceBucket: sourceBucket,
                                                 sourceKey: t.sourceKey, headers: nil,
                                                 ifMatch: t.etag.isEmpty ? nil : t.etag)
                // Same bytes, same MD5: a plain-MD5 ETag that differs means the copy is not the source.
                if ETag.isPlainMD5(t.etag) && ETag.isPlainMD5(etag) && etag.lowercased() != t.etag.lowercased() {
                    throw S3Error.local("the copy has ETag \(etag), the source \(t.etag)")
                }
            }
            // A copy the server finished is done, even if cancel came meanwhile: it exists.
            update(id) { $0.transferred = t.size; $0.state = .done }
        } catch {
            finish(id, .failed(Self.reason(error)))
        }
    }

    /// The destination folder `path`, opened once per run and shared by its downloads.
    private func destination(_ path: String) throws -> SafeDestination {
        try lock.withLock {
            if let d = destinations[ObjectKey(path)] { return d }
            let d = try SafeDestination(path: path)
            destinations[ObjectKey(path)] = d
            return d
        }
    }

    private func runDownload(_ id: Int, _ t: DownloadTarget, bucket: String, batch: Int, overwrite: Bool,
                             gunzip: Bool) {
        let cancel = flag(id)
        if cancel.isCancelled { return finish(id, .cancelled) }
        update(id) { $0.state = .running }
        var parts = t.name.byteSegments()
        let name = parts.removeLast()
        let shownFolder = ([t.folder] + parts).joined(separator: "/")
        let folder: Int32
        do {
            folder = try destination(t.folder).openFolder(parts)
        } catch {
            return finish(id, .failed(Self.reason(error)))
        }
        defer { close(folder) }
        let existing = SafeDestination.entry(name, in: folder)
        if let why = SafeDestination.refusal(existing, shown: t.local) { return finish(id, .failed(why)) }
        if case .file(let dev, let ino) = existing {
            if let other = lock.withLock({ written[batch]?[FileID(device: dev, inode: ino)] }) {
                return finish(id, .failed(Self.collision(t.key, other)))
            }
            if !overwrite { return finish(id, .skipped("exists; pass --overwrite to replace it")) }
        }
        let temp: SafeDestination.Temporary
        do {
            // Before anything is created: a size no S3 object has, or more than the disk holds,
            // is refused here, and no temporary file is left.
            try SafeDestination.checkRoom(for: t.size, in: folder, shownFolder: shownFolder)
            temp = try SafeDestination.createTemporary(in: folder, shownFolder: shownFolder)
        } catch {
            return finish(id, .failed(Self.reason(error)))
        }
        let fd = temp.fd
        var keep = false
        defer {
            if !keep { unlinkat(folder, temp.name, 0) }
            close(fd)  // after the unlink: the lock tells a sweeping pail the file is in use
        }
        do {
            let head: ObjectHead
            var streamedMD5: String?
            if t.size > options.multipartThreshold {
                head = try rangedDownload(id, t, bucket: bucket, fd: fd, shownFolder: shownFolder, cancel: cancel)
            } else {
                // No more than the listed size is written, whatever the server sends.
                let sink = FileSink(fd: fd, md5: ETag.isPlainMD5(t.etag), limit: t.size, ranged: false,
                                    buffers: sinkBuffers)
                head = try client.getObject(bucket: bucket, key: t.key, ifMatch: t.etag.isEmpty ? nil : t.etag,
                                            sink: sink,
                                            progress: { [weak self] done, _ in
                                                self?.update(id) { $0.transferred = done }
                                            },
                                            cancel: cancel)
                guard sink.written == head.size else {
                    throw S3Error.local("incomplete: \(sink.written) of \(head.size) bytes")
                }
                streamedMD5 = sink.md5Hex()
            }
            var st = stat()
            fstat(fd, &st)
            guard Int64(st.st_size) == t.size else {
                throw S3Error.local("size \(st.st_size) does not match the object's \(t.size)")
            }
            if ETag.isPlainMD5(head.etag) && head.serverSideEncryption != "aws:kms" {
                let md5 = try streamedMD5 ?? Self.md5(of: fd)
                guard md5 == head.etag.lowercased() else {
                    throw S3Error.local("MD5 \(md5) does not match the ETag \(head.etag)")
                }
            }
            let encoded = head.contentEncoding.map { ContentEncodingCheck.isGzip($0) } ?? false
            var final = temp
            var decoded: SafeDestination.Temporary?
            defer {
                if let decoded, !keep {
                    unlinkat(folder, decoded.name, 0)
                    close(decoded.fd)
                } else if let decoded {
                    close(decoded.fd)
                }
            }
            if encoded && gunzip {
                // Checked as stored (size, MD5), then unpacked beside it; a corrupt stream is an
                // error and neither file reaches the final name.
                let out = try SafeDestination.createTemporary(in: folder, shownFolder: shownFolder)
                decoded = out
                try Gzip.decompressFile(fd, into: out.fd, shown: "s3://\(bucket)/\(t.key)")
                final = out
            }
            // Interrupted after the last byte: still nothing at the final path.
            if cancel.isCancelled { throw S3Error.cancelled }
            if let skip = try commit(final, as: name, in: folder, t, batch: batch, overwrite: overwrite) {
                return finish(id, .skipped(skip))
            }
            if decoded != nil { unlinkat(folder, temp.name, 0) }
            update(id) { $0.gzipEncoded = encoded }
            keep = true
            update(id) { $0.transferred = t.size }
            finish(id, .done)
        } catch {
            finish(id, .failed(Self.reason(error)))
        }
    }

    /// Moves a finished download to its name, under `commitLock` so two downloads of this
    /// engine never land on one file: a name this run already wrote is a collision (two keys
    /// the file system cannot tell apart, e.g. differing only in case on a case-insensitive
    /// one), refused by name. Returns why the file was skipped, or nil when it is in place.
    private func commit(_ temp: SafeDestination.Temporary, as name: String, in folder: Int32, _ t: DownloadTarget,
                        batch: Int, overwrite: Bool) throws -> String? {
        try commitLock.withLock {
            let existing = SafeDestination.entry(name, in: folder)
            if let why = SafeDestination.refusal(existing, shown: t.local) { throw S3Error.local(why) }
            if case .file(let dev, let ino) = existing,
               let other = lock.withLock({ written[batch]?[FileID(device: dev, inode: ino)] }) {
                throw S3Error.local(Self.collision(t.key, other))
            }
            if overwrite, case .file = existing, changedDuringBatch(name, in: folder, batch: batch) {
                throw S3Error.local("\(t.local) was written during this run, by another key that maps to the same "
                                    + "local file (names this file system does not tell apart) or by another program; "
                                    + "it is not replaced")
            }
            if overwrite {
                // renameat replaces a file, or a link planted meanwhile, never what a link points to.
                guard renameat(folder, temp.name, folder, name) == 0 else {
                    throw S3Error.local("cannot rename into \(t.local): \(String(cString: strerror(errno)))")
                }
            } else {
                // A hard link never replaces: a file that appeared meanwhile is kept.
                if linkat(folder, temp.name, folder, name, 0) == 0 {
                    unlinkat(folder, temp.name, 0)
                } else if errno == EEXIST {
                    return "exists; pass --overwrite to replace it"
                } else if case .absent = SafeDestination.entry(name, in: folder),
                          renameat(folder, temp.name, folder, name) == 0 {
                    // A file system without hard links (FAT, some network ones).
                } else {
                    throw S3Error.local("cannot rename into \(t.local): \(String(cString: strerror(errno)))")
                }
            }
            var st = stat()
            if fstat(temp.fd, &st) == 0 {
                let file = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
                lock.withLock {
                    if options.keepsFinished || (written[batch]?.count ?? 0) < Self.writtenRecordLimit {
                        written[batch, default: [:]][file] = t.key
                    }
                }
            }
            return nil
        }
    }

    /// Past the record of a streaming batch: whether the file at `name` changed (its ctime)
    /// since the batch began, so it may be one this run wrote for another key.
    private func changedDuringBatch(_ name: String, in folder: Int32, batch: Int) -> Bool {
        let (full, start) = lock.withLock {
            ((written[batch]?.count ?? 0) >= Self.writtenRecordLimit && !options.keepsFinished, batchStart[batch])
        }
        guard full, let start else { return false }
        var st = stat()
        guard fstatat(folder, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        let changed = st.st_ctim
        return changed.tv_sec > start.tv_sec || (changed.tv_sec == start.tv_sec && changed.tv_nsec >= start.tv_nsec)
    }

    static func collision(_ key: String, _ other: String) -> String {
        "\(key) and \(other) map to the same local file (one name, or names this file system does not "
            + "tell apart); the file holds \(other)"
    }

    /// Parallel ranges pinned with If-Match, each written at its offset (S3 rule 13). At most
    /// `streamsPerFile` ranges are queued at once, each stream taking the next range when
    /// one ends, so nothing allocated grows with the object's size.
    private func rangedDownload(_ id: Int, _ t: DownloadTarget, bucket: String, fd: Int32, shownFolder: String,
                                cancel: CancellationFlag) throws -> ObjectHead {
        // Reserve the whole file first: ranges written at scattered offsets by several
        // threads otherwise make the file system allocate piecemeal (seen: 4x the system time).
        // The size was bounded and the free space checked before; a disk that filled since
        // is still a clear error, not a write failing part way.
        let reserved = posix_fallocate(fd, 0, off_t(t.size))
        if reserved == ENOSPC || reserved == EFBIG {
            throw S3Error.local("not enough room in \(shownFolder) for \(ByteCount.format(t.size)): "
                                + String(cString: strerror(reserved)))
        }
        let partSize = max(options.downloadPartSize
                           ?? TransferOptions.rangeSize(for: t.size, streams: TransferOptions.streamsPerFile), 1 << 20)
        let count = (t.size + partSize - 1) / partSize
        let lock = NSLock()
        var next: Int64 = 0
        var finished: Int64 = 0
        var inFlight: [Int64: Int64] = [:]
        var firstError: Error?
        var head: ObjectHead?
        let group = DispatchGroup()
        for _ in 0..<min(count, Int64(TransferOptions.streamsPerFile)) {
            group.enter()
            partPool.submit { [self] in
                defer { group.leave() }
                while true {
                    let n: Int64? = lock.withLock {
                        guard !cancel.isCancelled, firstError == nil, next < count else { return nil }
                        next += 1
                        return next - 1
                    }
                    guard let n else { return }
                    let start = n * partSize
                    let end = min(t.size, start + partSize) - 1
                    let sink = FileSink(fd: fd, offset: start, limit: end - start + 1, buffers: sinkBuffers)
                    do {
                        let h = try client.getObject(bucket: bucket, key: t.key, range: start...end, ifMatch: t.etag,
                                                     sink: sink,
                                                     progress: { [weak self] done, _ in
                                                         let total: Int64 = lock.withLock {
                                                             inFlight[n] = done
                                                             return finished + inFlight.values.reduce(0, +)
                                                         }
                                                         self?.update(id) { $0.transferred = total }
                                                     }, cancel: cancel)
                        guard sink.written == end - start + 1 else {
                            throw S3Error.local("range \(start)-\(end) came back short")
                        }
                        lock.withLock {
                            inFlight[n] = nil
                            finished += end - start + 1
                            if head == nil { head = h }
                        }
                    } catch {
                        lock.withLock { if firstError == nil { firstError = error } }
                    }
                }
            }
        }
        group.wait()
        if cancel.isCancelled { throw S3Error.cancelled }
        if let firstError { throw firstError }
        guard var h = head else { throw S3Error.local("no range arrived") }
        h.size = t.size
        return h
    }

    /// The MD5 of an open file, read from its start.
    private static func md5(of fd: Int32) throws -> String {
        let size = 256 << 10
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        let digest = StreamingDigest(.md5)
        var position: off_t = 0
        while true {
            let n = pread(fd, buffer, size, position)
            if n < 0 {
                if errno == EINTR { continue }
                throw S3Error.local("cannot read the download back: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            digest.update(buffer, count: n)
            position += off_t(n)
        }
        return digest.finalize().hex
    }

    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? S3Error { return e.description }
        return String(describing: error)
    }
}
