import Browser
import Foundation
import Operations
import S3
import Session
import TestSupport
import XCTest

/// Invalidations waiting for CloudFront do not hold the threads deletes and edits run on.
final class InvalidationWaitSessionTests: XCTestCase {
    final class Posted: @unchecked Sendable {
        let lock = NSLock()
        var events: [BrowserEvent] = []
        var pauses = 0
        func post(_ e: BrowserEvent) { lock.withLock { events.append(e) } }
        func count(_ pick: (BrowserEvent) -> Bool) -> Int { lock.withLock { events.filter(pick).count } }
        func paused() { lock.withLock { pauses += 1 } }
        var pausing: Int { lock.withLock { pauses } }
    }

    /// Bounds a wait on other threads (never a measure of speed).
    func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while !condition() {
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }

    /// Five invalidations wait between polls (more than the operations' four threads), and a
    /// delete asked meanwhile is still planned; the waits then end with their answers.
    func testWaitingInvalidationsLeaveTheOperationsRunning() {
        let d = BrowserDriver(bucket: "site", transport: SiteFixture.transport())
        let cloudFront = ScriptedTransport()
        cloudFront.on({ $0.method == "POST" }) { _ in
            .success(HTTPResponse(status: 201, body: Data(
                "<Invalidation><Id>I1</Id><Status>InProgress</Status></Invalidation>".utf8)))
        }
        cloudFront.on({ $0.method == "GET" }) { _ in
            .success(HTTPResponse(status: 200, body: Data(
                "<Invalidation><Id>I1</Id><Status>Completed</Status></Invalidation>".utf8)))
        }
        let posted = Posted()
        let gate = DispatchSemaphore(value: 0)
        var io = d.world.io
        io.cloudFrontTransport = { cloudFront }
        io.pause = { _ in
            posted.paused()
            gate.wait()
        }
        var settings = BucketSettings()
        settings.cloudfrontDistribution = "E1"
        settings.cdnOriginPath = ""
        var config = PailConfig()
        config.buckets["site"] = settings
        let session = BrowserSession(client: d.client, queue: BrowserEventSink { posted.post($0) }, config: config,
                                     environment: ["AWS_ENDPOINT_URL_CLOUDFRONT": "https://cloudfront.test.example"],
                                     io: io)
        defer { session.cancelAll() }
        let offer = InvalidationOffer(bucket: "site", targets: [.key("index.html")], changed: 1,
                                      cdn: "CloudFront distribution E1", distribution: "E1")
        for n in 1...5 { session.perform(.invalidate(id: RequestID(n), offer)) }
        XCTAssertTrue(eventually { posted.pausing == 5 }, "every invalidation waits at once: \(posted.pausing)")
        session.perform(.planDelete(id: RequestID(9), bucket: "site", keys: ["index.html"], prefixes: []))
        let planned = eventually {
            posted.count { if case .deletePlanned(RequestID(9), _) = $0 { return true }; return false } == 1
        }
        XCTAssertTrue(planned, "the delete is planned while the invalidations wait")
        for _ in 0..<5 { gate.signal() }
        session.waitUntilIdle()
        XCTAssertEqual(posted.count { if case .invalidated(_, .success) = $0 { return true }; return false }, 5)
    }
}
