import Foundation
import XCTest
@testable import Operations
@testable import S3

/// A ListObjectsV2 endpoint over a list of keys, in memory: pages of `pageSize` entries,
/// prefix, delimiter and continuation tokens as S3 has them. Thread-safe, since the lister
/// lists several chains at once; counts the pages it has served.
final class KeyListTransport: HTTPTransport, @unchecked Sendable {
    let keys: [[UInt8]]
    let pageSize: Int
    /// Prefixes whose listing (without delimiter) fails with AccessDenied.
    var deniedPrefixes: Set<String> = []
    private let lock = NSLock()
    private var served = 0

    init(keys: [String], pageSize: Int) {
        self.keys = keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        self.pageSize = pageSize
    }

    var pagesServed: Int { lock.withLock { served } }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        let query = Dictionary(request.query, uniquingKeysWith: { a, _ in a })
        let prefix = Array((query["prefix"] ?? "").utf8)
        let delimiter = query["delimiter"].map { Array($0.utf8) }
        if delimiter == nil, deniedPrefixes.contains(query["prefix"] ?? "") {
            let error = "<Error><Code>AccessDenied</Code><Message>no</Message></Error>"
            return HTTPResponse(status: 403, body: Data(error.utf8))
        }
        var position = keys.firstIndex { !$0.lexicographicallyPrecedes(prefix) } ?? keys.count
        if let token = query["continuation-token"], let after = Data(base64Encoded: token) {
            let a = Array(after)
            // A token that is a common prefix skips everything below it.
            let skipBelow = delimiter != nil && a.last == UInt8(ascii: "/")
            position = keys.firstIndex { a.lexicographicallyPrecedes($0) && !(skipBelow && $0.starts(with: a)) }
                ?? keys.count
        } else if let after = query["start-after"] {
            let a = Array(after.utf8)
            position = max(position, keys.firstIndex { a.lexicographicallyPrecedes($0) } ?? keys.count)
        }
        let maxKeys = query["max-keys"].flatMap { Int($0) } ?? pageSize
        var contents = "", prefixes = "", count = 0, last: [UInt8]?
        while count < min(pageSize, maxKeys), position < keys.count, keys[position].starts(with: prefix) {
            let key = keys[position]
            let rest = key[prefix.count...]
            if let delimiter, let d = rest.firstIndex(of: delimiter[0]) {
                let child = Array(key[..<(d + 1)])
                prefixes += "<CommonPrefixes><Prefix>\(Self.xml(child))</Prefix></CommonPrefixes>"
                last = child
                while position < keys.count, keys[position].starts(with: child) { position += 1 }
            } else {
                contents += "<Contents><Key>\(Self.xml(key))</Key><Size>\(key.count)</Size>"
                    + "<ETag>&quot;e&quot;</ETag></Contents>"
                last = key
                position += 1
            }
            count += 1
        }
        let truncated = position < keys.count && keys[position].starts(with: prefix)
        var body = "<ListBucketResult><IsTruncated>\(truncated)</IsTruncated>"
        if truncated, let last {
            body += "<NextContinuationToken>\(Data(last).base64EncodedString())</NextContinuationToken>"
        }
        body += contents + prefixes + "</ListBucketResult>"
        lock.withLock { served += 1 }
        return HTTPResponse(status: 200, body: Data(body.utf8))
    }

    static func xml(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
}

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
