import Browser
import Foundation
import Operations
import S3

/// What the header columns, the bucket page and the details pane's public line keep between
/// an effect and its worker: their own pool (the column HEADs' bound in flight) and the
/// column requests cancelled before a worker took them.
final class CacheEffects: @unchecked Sendable {
    let pool = WorkerPool(threads: BrowserState.columnsInFlight)
    private let lock = NSLock()
    private var waiting: Set<RequestID> = []
    private var cancelled: Set<RequestID> = []

    func queued(_ id: RequestID) { lock.withLock { _ = waiting.insert(id) } }

    func cancel(_ ids: [RequestID]) {
        lock.withLock {
            for id in ids where waiting.contains(id) { cancelled.insert(id) }
        }
    }

    /// Taken by a worker: false when it was cancelled meanwhile (then nothing is sent).
    func take(_ id: RequestID) -> Bool {
        lock.withLock {
            waiting.remove(id)
            return cancelled.remove(id) == nil
        }
    }
}

extension BrowserSession {
    func performCache(_ effect: BrowserEffect) {
        switch effect {
        case .headColumns(let id, let bucket, let key):
            cache.queued(id)
            cache.pool.submit { [self] in
                // Scrolled away before its turn: the browser closed it already, nothing to answer.
                guard cache.take(id) else { return }
                let result: Result<HeaderColumns, BrowserError>
                do {
                    let head = try client.headObject(bucket: bucket, key: key)
                    result = .success(HeaderColumns(etag: head.etag, cacheControl: head.cacheControl,
                                                    contentType: head.contentType,
                                                    contentEncoding: head.contentEncoding))
                } catch {
                    result = .failure(BrowserError(describe(error)))
                }
                queue.post(.columnsHeaded(id: id, bucket: bucket, key: key, result))
            }
        case .cancelHeadColumns(let ids):
            cache.cancel(ids)
        default:
            break
        }
    }
}

extension BrowserSession {
    /// `public, max-age=31536000 (1 y)`: the value with its durations read for people.
    static func annotatedCacheControl(_ value: String) -> String { CacheControlSummary.annotated(value) }

    /// `in 3 d`, `in the past (2 h ago)`, `not a date: ...`; max-age or s-maxage override it.
    static func expiresReading(_ value: String, cacheControl: String?, now: Date) -> String {
        let overridden = CacheControlSummary(cacheControl: cacheControl ?? "").durations.contains {
            $0.name == "max-age" || $0.name == "s-maxage"
        }
        return CacheControlSummary.expiresReading(value, now: now, overridden: overridden)
    }
}
