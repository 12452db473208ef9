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
    let partPool: WorkerPool
    let lock = NSLock()
    private var items: [Int: TransferItem] = [:]
    /// One flag per transfer, so one can be cancelled alone; `cancel` stops them all.
    private var flags: [Int: CancellationFlag] = [:]
    /// Download folders opened in this run, by the path named.
    var destinations: [ObjectKey: SafeDestination] = [:]
    /// The files each batch of downloads wrote, and the key each holds (see `commit`), and
    /// the transfers of each batch, so a finished batch's record can be dropped.
    var written: [Int: [FileID: String]] = [:]
    /// Unfinished downloads per batch, and the batch of each download in flight.
    private var pendingInBatch: [Int: Int] = [:]
    private var batchOf: [Int: Int] = [:]
    /// Streaming engines (`keepsFinished` false) record at most this many files per batch;
    /// past it, a file an overwrite would replace that changed since the batch began (its
    /// ctime) is refused as a possible collision instead, so memory does not grow with the
    /// listing and nothing written in this run is silently replaced.
    static let writtenRecordLimit = 10_000
    var batchStart: [Int: timespec] = [:]
    private var nextBatch = 0
    private var totalsSoFar = TransferTotals()
    private let room = NSCondition()
    /// Called once per transfer when it finishes, on the worker's thread (set before queueing).
    public var onFinish: (@Sendable (TransferItem) -> Void)?
    let commitLock = NSLock()
    /// Write buffers of the downloads in flight, reused: a fresh buffer per range is mapped,
    /// faulted in and unmapped each time, which costs system time in every stream.
    let sinkBuffers = BufferPool(size: FileSink.bufferSize)
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

    func flag(_ id: Int) -> CancellationFlag { lock.withLock { flags[id] } ?? cancel }

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
    func update(_ id: Int, _ change: (inout TransferItem) -> Void) {
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

    func finish(_ id: Int, _ state: TransferItem.State) {
        let cancelled = flag(id).isCancelled
        update(id) { $0.state = cancelled && state != .done ? .cancelled : state }
    }

    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? S3Error { return e.description }
        return String(describing: error)
    }
}
