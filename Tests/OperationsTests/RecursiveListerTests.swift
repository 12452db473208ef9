import Foundation
import XCTest
@testable import Operations
@testable import S3
import TestSupport

// KeySpaceSplitterTests names the transport without importing TestSupport.
typealias KeyListTransport = TestSupport.KeyListTransport

final class RecursiveListerTests: XCTestCase {
    func client(_ transport: KeyListTransport) -> S3Client {
        let config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        return S3Client(config: config, makeTransport: { transport })
    }

    /// Keys whose byte order differs from Swift's String order ("e" + U+0301 sorts before "f"
    /// in bytes, after it as a String), objects between prefixes ("a.txt" before "a/"), deep
    /// and flat parts.
    func trickyKeys() -> [String] {
        var keys: [String] = []
        for top in ["a", "a b", "e\u{301}", "f", "\u{e9}", "z", "\u{65e5}", "\u{1F600}"] {
            keys.append("\(top).txt")
            for sub in ["x", "y\u{301}", "\u{fd}"] {
                for i in 0..<7 { keys.append("\(top)/\(sub)/\(i)") }
                keys.append("\(top)/\(sub).txt")
            }
            keys.append("\(top)/~")
        }
        return keys
    }

    func byteSorted(_ keys: [String]) -> [String] { keys.sorted { $0.bytesPrecede($1) } }

    func testKeysComeInByteOrderWithObjectsBetweenPrefixes() throws {
        let keys = trickyKeys()
        for (pageSize, parallelism, pages) in [(3, 2, 1), (1000, 8, 4), (2, 1, 1)] {
            let transport = KeyListTransport(keys: keys, pageSize: pageSize)
            var listed: [String] = []
            try RecursiveLister(client: client(transport), parallelism: parallelism, pagesPerChain: pages)
                .list(bucket: "b", prefix: "") { listed += $0.map(\.key) }
            XCTAssertEqual(listed, byteSorted(keys), "pages of \(pageSize), \(parallelism) in parallel")
            var below: [String] = []
            try RecursiveLister(client: client(transport), parallelism: parallelism, pagesPerChain: pages)
                .list(bucket: "b", prefix: "e\u{301}/") { below += $0.map(\.key) }
            XCTAssertEqual(below, byteSorted(keys.filter { $0.hasBytePrefix("e\u{301}/") }),
                           "never the keys of \u{e9}/, equal as Strings")
        }
    }

    func testUnorderedListingYieldsEveryKeyOnce() throws {
        let keys = trickyKeys()
        let transport = KeyListTransport(keys: keys, pageSize: 3)
        var listed: [String] = []
        try RecursiveLister(client: client(transport), parallelism: 3, pagesPerChain: 1)
            .listUnordered(bucket: "b", prefix: "") { listed += $0.map(\.key) }
        XCTAssertEqual(byteSorted(listed), byteSorted(keys))
    }

    /// The consumer stops at its first batch (as `ls -r` does when its output pipe is full)
    /// until the lister has had every chance to run ahead; it may then hold only a few pages.
    func pagesHeldWhileConsumerWaits(keys: [String], pageSize: Int, parallelism: Int, pagesPerChain: Int,
                                     ordered: Bool, splits: Bool = true) throws -> (held: Int, total: Int) {
        let transport = KeyListTransport(keys: keys, pageSize: pageSize)
        let lister = RecursiveLister(client: client(transport), parallelism: parallelism, pagesPerChain: pagesPerChain)
        lister.splitsFlatLevels = splits
        var held = -1, emitted = 0, listed = 0
        let emit: ([ObjectSummary]) throws -> Void = { batch in
            if held < 0 {
                // Not a timing assertion: the wait only ends early when the lister has
                // already run far ahead, which is the failure this test looks for.
                let deadline = Date().addingTimeInterval(1.5)
                while transport.pagesServed < keys.count / pageSize / 2 && Date() < deadline { usleep(5000) }
                held = transport.pagesServed - emitted
            }
            emitted += (batch.count + pageSize - 1) / pageSize
            listed += batch.count
        }
        if ordered {
            try lister.list(bucket: "b", prefix: "", emit: emit)
        } else {
            try lister.listUnordered(bucket: "b", prefix: "", emit: emit)
        }
        XCTAssertEqual(listed, keys.count)
        return (held, transport.pagesServed)
    }

    func testFlatPrefixStreamsAndHoldsAFewPages() throws {
        let keys = (0..<3000).map { String(format: "k/%05d", $0) }
        // One chain (the ranges a flat level is cut into are bounded in KeySpaceSplitterTests).
        let r = try pagesHeldWhileConsumerWaits(keys: keys, pageSize: 10, parallelism: 4, pagesPerChain: 2,
                                                ordered: true, splits: false)
        // The "" listing with its one child, then at most 2 queued pages and 1 in flight.
        XCTAssertLessThanOrEqual(r.held, 6, "pages listed but not emitted, of \(r.total)")
    }

    func testDeepTreeHoldsAFewPagesPerSubtree() throws {
        let keys = (0..<12).flatMap { d in (0..<400).map { String(format: "d%02d/%05d", d, $0) } }
        for ordered in [true, false] {
            let r = try pagesHeldWhileConsumerWaits(keys: keys, pageSize: 10, parallelism: 4, pagesPerChain: 2,
                                                    ordered: ordered)
            // Ordered: 4 subtrees with 2 pages queued and 1 in flight each, and the 2 pages the
            // consumer took; unordered: the 4 pages it took, 4 more ready and 4 in flight. Plus
            // the delimiter listing's 2 pages. Without the bounds: whole subtrees (40 pages each).
            XCTAssertLessThanOrEqual(r.held, ordered ? 16 : 14,
                                     "ordered \(ordered): pages listed but not emitted, of \(r.total)")
        }
    }

    func testAFailingSubtreeFailsTheListingAfterWhatCameBefore() {
        let keys = trickyKeys()
        let transport = KeyListTransport(keys: keys, pageSize: 3)
        transport.deniedPrefixes = ["f/"]
        var listed: [String] = []
        XCTAssertThrowsError(try RecursiveLister(client: client(transport), parallelism: 3, pagesPerChain: 1)
            .list(bucket: "b", prefix: "") { listed += $0.map(\.key) }) { error in
            XCTAssertEqual((error as? S3Error)?.serviceCode, "AccessDenied", "\(error)")
        }
        XCTAssertEqual(listed, byteSorted(keys).filter { $0.bytesPrecede("f/") })
        XCTAssertThrowsError(try RecursiveLister(client: client(transport), parallelism: 3, pagesPerChain: 1)
            .listUnordered(bucket: "b", prefix: "") { _ in })
    }

    func testAnErrorFromTheConsumerOrACancelEndsTheListing() {
        struct Stop: Error {}
        let keys = (0..<12).flatMap { d in (0..<100).map { String(format: "d%02d/%05d", d, $0) } }
        let transport = KeyListTransport(keys: keys, pageSize: 10)
        XCTAssertThrowsError(try RecursiveLister(client: client(transport), parallelism: 4, pagesPerChain: 1)
            .list(bucket: "b", prefix: "") { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
        let cancel = CancellationFlag()
        var batches = 0
        XCTAssertThrowsError(try RecursiveLister(client: client(transport), parallelism: 4, pagesPerChain: 1)
            .list(bucket: "b", prefix: "", cancel: cancel) { _ in
                batches += 1
                if batches == 3 { cancel.cancel() }
            }) { error in
                guard case S3Error.cancelled = error else { return XCTFail("\(error)") }
            }
        XCTAssertLessThan(batches, 20)
    }
}
