import Foundation

/// A fixed set of threads for blocking work (HTTP requests). OperationQueue and libdispatch
/// size their pools to the number of cores for work that blocks, so on a 2-core machine "64
/// concurrent requests" ran two or three at a time; these threads each hold one request.
public final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    /// Work not started yet: `queued[head...]`. Taking from the front moves an index, not the
    /// array, so a pool with thousands queued (a deletion's batches, a download's files) takes
    /// each in constant time.
    private var queued: [() -> Void] = []
    private var head = 0
    private var pendingCount: Int { queued.count - head }
    private var running = 0
    private var threads = 0
    private let maxThreads: Int
    private var stopped = false

    public init(threads: Int) {
        maxThreads = max(1, threads)
    }

    deinit { shutdown() }

    /// Queues work; a thread starts for it if fewer than the maximum exist.
    public func submit(_ work: @escaping () -> Void) {
        condition.lock()
        queued.append(work)
        if threads < maxThreads && threads - running < pendingCount {
            threads += 1
            let t = Thread { [weak self] in self?.loop() }
            t.stackSize = 1 << 20
            t.start()
        }
        condition.signal()
        condition.unlock()
    }

    /// Blocks until nothing is queued or running.
    public func waitUntilIdle() {
        condition.lock()
        while pendingCount > 0 || running > 0 { condition.wait() }
        condition.unlock()
    }

    /// Drops work that has not started.
    public func cancelPending() {
        condition.lock()
        queued.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    public func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while pendingCount == 0 && !stopped { condition.wait() }
            if stopped && pendingCount == 0 {
                threads -= 1
                condition.unlock()
                return
            }
            let work = queued[head]
            queued[head] = {}  // what the work holds goes with it, not at the next compaction
            head += 1
            if head == queued.count {
                queued.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= queued.count {
                queued.removeFirst(head)
                head = 0
            }
            running += 1
            condition.unlock()
            work()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
    }
}
