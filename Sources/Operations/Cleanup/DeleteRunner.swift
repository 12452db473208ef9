import Foundation
import S3

/// Sends DeleteObjects batches of 1000 (and single deletes for keys XML cannot carry) on a
/// pool. `submit` waits while enough batches are queued, so a listing that outruns the
/// deletes does not pile up keys in memory.
final class DeleteRunner {
    private let client: S3Client
    private let bucket: String
    private let cancel: CancellationFlag?
    private let progress: ((_ done: Int, _ failed: Int) -> Void)?
    private let pool: WorkerPool
    private let room: DispatchSemaphore
    private let lock = NSLock()
    private var deleted = 0
    private var failures: [S3Client.DeleteFailure] = []

    init(client: S3Client, bucket: String, parallelism: Int, cancel: CancellationFlag?,
         progress: ((_ done: Int, _ failed: Int) -> Void)?) {
        self.client = client
        self.bucket = bucket
        self.cancel = cancel
        self.progress = progress
        pool = WorkerPool(threads: parallelism)
        room = DispatchSemaphore(value: parallelism * 2)
    }

    func submit(_ items: [DeletePlan.Item]) {
        let carriable = items.filter { XMLText.canCarry($0.key) }
        for start in stride(from: 0, to: carriable.count, by: Deleter.batchSize) {
            let batch = Array(carriable[start..<min(start + Deleter.batchSize, carriable.count)])
            room.wait()
            pool.submit { [self] in
                defer { room.signal() }
                if cancel?.isCancelled == true { return }
                do {
                    // A plain delete, never by version id: on a versioned bucket it adds a delete
                    // marker, as the confirmation said. The version ids are for the manifest.
                    let failed = try client.deleteObjects(bucket: bucket, keys: batch.map { ($0.key, nil) })
                    record(batch.count - failed.count, failed)
                } catch {
                    record(0, batch.map {
                        .init(key: $0.key, code: "RequestFailed", message: String(describing: error))
                    })
                }
            }
        }
        for item in items where !XMLText.canCarry(item.key) {
            room.wait()
            pool.submit { [self] in
                defer { room.signal() }
                if cancel?.isCancelled == true { return }
                do {
                    try client.deleteObject(bucket: bucket, key: item.key)
                    record(1, [])
                } catch {
                    let code = (error as? S3Error)?.serviceCode ?? "RequestFailed"
                    record(0, [.init(key: item.key, code: code, message: String(describing: error))])
                }
            }
        }
    }

    private func record(_ ok: Int, _ failed: [S3Client.DeleteFailure]) {
        let (d, f) = lock.withLock { () -> (Int, Int) in
            deleted += ok
            failures += failed
            return (deleted, failures.count)
        }
        progress?(d, f)
    }

    /// Waits for everything submitted.
    func finish() -> DeleteOutcome {
        pool.waitUntilIdle()
        return lock.withLock {
            DeleteOutcome(deleted: deleted, failures: failures.sorted { $0.key.bytesPrecede($1.key) })
        }
    }
}
