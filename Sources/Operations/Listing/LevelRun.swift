import Foundation
import S3

/// The key ranges of one level listed at once (`LevelLister`): worker threads list the ranges,
/// each with delimiter "/" from its start-after string up to its bound, and the caller's thread
/// emits their pages in range order. `@unchecked Sendable`: every mutable field is read and
/// written under `condition`.
final class LevelRun<Page>: @unchecked Sendable {
    private struct Range {
        let after: String
        let upper: String?
        var pages: [Page] = []
        var done = false
        var error: Error?
    }

    private let client: S3Client
    private let bucket: String
    private let prefix: String
    private let pagesAhead: Int
    private let cancel: CancellationFlag
    private let convert: @Sendable ([String], [ObjectSummary]) -> Page
    private let condition = NSCondition()

    // Under `condition`.
    private var ranges: [Range]
    /// The range being emitted: its worker never waits for the consumer.
    private var head = 0
    private var nextToStart = 0
    /// Pages held by ranges after `head`.
    private var heldAhead = 0
    private var workers = 0
    private var stopped = false

    init(client: S3Client, bucket: String, prefix: String, ranges: [(after: String, upper: String?)], threads: Int,
         pagesAhead: Int, cancel: CancellationFlag,
         convert: @escaping @Sendable ([String], [ObjectSummary]) -> Page) {
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.pagesAhead = pagesAhead
        self.cancel = cancel
        self.convert = convert
        self.ranges = ranges.map { Range(after: $0.after, upper: $0.upper) }
        condition.lock()
        workers = min(max(1, threads), ranges.count)
        condition.unlock()
        for _ in 0..<workers {
            Thread.detachNewThread { [self] in work() }
        }
    }

    /// Under `condition`: waits a little, noticing a cancel from outside (the flag has no way
    /// to wake anyone), which stops every range.
    private func waitLocked() {
        _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
        if cancel.isCancelled { stopped = true }
    }

    private func work() {
        while true {
            condition.lock()
            guard !stopped, !cancel.isCancelled, nextToStart < ranges.count else {
                workers -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let index = nextToStart
            nextToStart += 1
            let (after, upper) = (ranges[index].after, ranges[index].upper)
            condition.unlock()
            var cut = RangeCut(after: after)
            var failure: Error?
            do {
                try client.listAllPages(bucket: bucket, prefix: prefix, delimiter: "/", startAfter: after,
                                        cancel: cancel) { page in
                    let (objects, prefixes, more) = cut.admitLevel(page.objects, prefixes: page.commonPrefixes,
                                                                   upper: upper)
                    let converted = objects.isEmpty && prefixes.isEmpty ? nil : convert(prefixes, objects)
                    condition.lock()
                    defer { condition.unlock() }
                    while !stopped && index != head && heldAhead >= pagesAhead { waitLocked() }
                    if cancel.isCancelled { stopped = true }
                    guard !stopped else { return false }
                    if let converted {
                        ranges[index].pages.append(converted)
                        if index != head { heldAhead += 1 }
                        condition.broadcast()
                    }
                    return more
                }
            } catch {
                failure = error
            }
            if let w = cut.warning(bucket: bucket, prefix: prefix) { client.warn?(w) }
            condition.lock()
            ranges[index].done = true
            ranges[index].error = failure
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Emits every range's pages in order on the caller's thread; returns (or throws) once
    /// every worker has stopped, so no request of the level outlives it.
    func consume(_ emit: (Page) throws -> Void) throws {
        defer { stopAndJoin() }
        while true {
            condition.lock()
            while !stopped && head < ranges.count && ranges[head].pages.isEmpty && !ranges[head].done { waitLocked() }
            if cancel.isCancelled { stopped = true }
            if stopped {
                condition.unlock()
                throw S3Error.cancelled
            }
            guard head < ranges.count else {
                condition.unlock()
                return
            }
            let pages = ranges[head].pages
            ranges[head].pages = []
            let done = ranges[head].done
            let error = ranges[head].error
            if done {
                head += 1
                // The next range's held pages are the head's now: they no longer count as ahead.
                if head < ranges.count { heldAhead -= ranges[head].pages.count }
                condition.broadcast()
            }
            condition.unlock()
            for page in pages { try emit(page) }
            if let error { throw error }
        }
    }

    private func stopAndJoin() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while workers > 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1)) }
        condition.unlock()
    }
}
