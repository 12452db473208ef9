import Foundation

/// A fixed set of threads for blocking work (HTTP requests). OperationQueue and libdispatch
/// size their pools to the number of cores for work that blocks, so on a 2-core machine "64
/// concurrent requests" ran two or three at a time; these threads each hold one request.
public final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [() -> Void] = []
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
        pending.append(work)
        if threads < maxThreads && threads - running < pending.count {
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
        while !pending.isEmpty || running > 0 { condition.wait() }
        condition.unlock()
    }

    /// Drops work that has not started.
    public func cancelPending() {
        condition.lock()
        pending.removeAll()
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
            while pending.isEmpty && !stopped { condition.wait() }
            if stopped && pending.isEmpty {
                threads -= 1
                condition.unlock()
                return
            }
            let work = pending.removeFirst()
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
