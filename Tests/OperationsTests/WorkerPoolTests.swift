import Foundation
import XCTest
@testable import Operations

/// The pool behind every request the browser and the transfers send.
final class WorkerPoolTests: XCTestCase {
    private final class Log: @unchecked Sendable {
        let lock = NSLock()
        var order: [Int] = []
        func add(_ i: Int) { lock.withLock { order.append(i) } }
    }

    /// Thousands queued (a deletion's batches, a download's files): each runs once, in the order
    /// queued, across the queue's compactions; a cancel drops only what had not started.
    func testQueuedWorkRunsOnceInOrderAndACancelDropsOnlyWhatWaits() {
        let pool = WorkerPool(threads: 1)
        let log = Log()
        let gate = DispatchSemaphore(value: 0)
        pool.submit { gate.wait() }
        for i in 0..<5000 { pool.submit { log.add(i) } }
        gate.signal()
        pool.waitUntilIdle()
        XCTAssertEqual(log.order, Array(0..<5000))

        let held = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        pool.submit {
            started.signal()
            held.wait()
            log.add(-1)
        }
        started.wait()
        for i in 0..<100 { pool.submit { log.add(10_000 + i) } }
        pool.cancelPending()
        held.signal()
        pool.waitUntilIdle()
        pool.submit { log.add(-2) }
        pool.waitUntilIdle()
        XCTAssertEqual(Array(log.order.suffix(2)), [-1, -2], "the running one finished, the queued ones were dropped")
        XCTAssertEqual(log.order.count, 5002)
        pool.shutdown()
    }
}
