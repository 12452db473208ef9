import XCTest
@testable import Browser

/// The first bucket list is a request like any other: busy comes from its open id, not from
/// a listing token made up for it, and its answer closes it.
final class BucketListRequestTests: XCTestCase {
    func testTheFirstBucketListIsAnOpenRequestUntilItsAnswer() {
        var (s, effects) = BrowserState.start(bucket: nil, prefix: "", width: 80, height: 24)
        XCTAssertEqual(effects, [.listBuckets])
        XCTAssertEqual(Array(s.openRequests.values), [.bucketList])
        XCTAssertTrue(s.activeListings.isEmpty, "no listing token stands for it")
        XCTAssertEqual(s.quitEffects(), [.quit], "no made-up listing to cancel")
        XCTAssertTrue(s.isBusy)
        _ = s.reduce(.bucketsListed(.success([.bucket(name: "site", created: 0)])))
        XCTAssertTrue(s.openRequests.isEmpty)
        XCTAssertFalse(s.isBusy)
    }

    func testAFailedFirstBucketListClosesItsRequestToo() {
        var (s, _) = BrowserState.start(bucket: nil, prefix: "", width: 80, height: 24)
        _ = s.reduce(.bucketsListed(.failure(BrowserError("Access Denied"))))
        XCTAssertTrue(s.openRequests.isEmpty)
        XCTAssertFalse(s.isBusy)
    }

    /// A later bucket list (up from a bucket, a profile switch) is a request too, and a
    /// switch never hands out an id the old state used.
    func testLaterBucketListsAreRequestsWithFreshIDs() {
        var (s, _) = BrowserState.start(bucket: "site", prefix: "", width: 80, height: 24)
        let before = s.nextRequest
        _ = s.restartAtBucketList()
        let asked = s.openRequests.filter { $0.value == .bucketList }.map(\.key)
        XCTAssertEqual(asked.count, 1)
        XCTAssertGreaterThanOrEqual(asked[0].value, before, "an id the old state handed out")
        _ = s.reduce(.bucketsListed(.success([.bucket(name: "site", created: 0)])))
        XCTAssertFalse(s.openRequests.values.contains(.bucketList))

        var (t, _) = BrowserState.start(bucket: "site", prefix: "", width: 80, height: 24)
        _ = t.startListing(t.serial(for: .bucketList))
        XCTAssertEqual(Array(t.openRequests.values).filter { $0 == .bucketList }.count, 1)
        _ = t.reduce(.bucketsListed(.success([])))
        XCTAssertFalse(t.openRequests.values.contains(.bucketList))
    }
}
