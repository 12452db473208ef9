import Foundation
import TestSupport
import XCTest
@testable import Operations
@testable import S3

/// KeyListTransport seen through a wrapper that records the start-after strings asked for,
/// counts the range requests (start-after listings) in flight, can hold them until their
/// cancel flag is set, and can answer them from three keys before their start.
final class RangeWatchTransport: HTTPTransport, @unchecked Sendable {
    let keys: KeyListTransport
    /// Range requests wait until the request's cancel flag is set, then fail as cancelled.
    var holdsRanges = false
    /// Range requests begin three keys early (keys of the range before).
    var overlapsStartAfter = false
    private let lock = NSLock()
    private var inFlight = 0
    private var afters: [String] = []

    init(keys: [String], pageSize: Int) { self.keys = KeyListTransport(keys: keys, pageSize: pageSize) }

    var startAfters: [String] { lock.withLock { afters } }
    var rangesInFlight: Int { lock.withLock { inFlight } }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        guard let after = request.query.first(where: { $0.0 == "start-after" })?.1 else {
            return try keys.send(request, sink: sink, progress: progress, cancel: cancel)
        }
        lock.withLock {
            inFlight += 1
            afters.append(after)
        }
        defer { lock.withLock { inFlight -= 1 } }
        if holdsRanges {
            // Not a timing assertion: the wait ends when the lister cancels, or after 10 s.
            let deadline = Date().addingTimeInterval(10)
            while cancel?.isCancelled != true && Date() < deadline { usleep(2000) }
            throw TransportError.cancelled
        }
        var asked = request
        if overlapsStartAfter {
            let bytes = Array(after.utf8)
            let past = keys.keys.firstIndex { bytes.lexicographicallyPrecedes($0) } ?? keys.keys.count
            let early = String(decoding: keys.keys[max(0, past - 3)], as: UTF8.self)
            asked.query = request.query.map { $0.0 == "start-after" ? ($0.0, early) : $0 }
        }
        return try keys.send(asked, sink: sink, progress: progress, cancel: cancel)
    }
}

final class LevelListerTests: XCTestCase {
    final class WarningLog: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.withLock { items.append(s) } }
        var lines: [String] { lock.withLock { items } }
    }

    func client(_ transport: HTTPTransport, warnings: WarningLog? = nil) -> S3Client {
        let config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let c = S3Client(config: config, makeTransport: { transport })
        if let warnings { c.warn = { warnings.add($0) } }
        return c
    }

    /// A level under "u/": objects and child prefixes whose names start with multi-byte
    /// characters, NFC and NFD spellings of e-acute (one String to Swift, two entries each,
    /// objects and prefixes alike), an emoji, ASCII below "0"; each child prefix holds several
    /// keys, so it is rolled up from keys on both sides of wherever a range may start.
    func levelKeys(per: Int = 40) -> [String] {
        var keys: [String] = []
        for lead in ["0", "A", "e\u{301}", "z", "\u{e9}", "\u{65e5}", "\u{1F600}", "-"] {
            for i in 0..<per {
                let n = String(format: "%03d", i)
                keys += ["u/\(lead)\(n).a", "u/\(lead)\(n)e\u{301}", "u/\(lead)\(n)\u{e9}"]
                if i % 5 == 0 {
                    for j in 0..<4 { keys.append("u/\(lead)\(n)/\(j)") }
                }
            }
        }
        return keys + ["u/", "other/x", "u"]
    }

    /// What one chain lists under `prefix`: entries (full keys, prefixes ending in "/") in
    /// byte order, each child prefix once.
    func expectedLevel(_ keys: [String], under prefix: String) -> [String] {
        var entries: [String] = []
        for key in keys.sorted(by: { $0.bytesPrecede($1) }) where key.hasBytePrefix(prefix) {
            let rest = Array(key.utf8.dropFirst(prefix.utf8.count))
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                let child = prefix + String(decoding: rest[...slash], as: UTF8.self)
                if !(entries.last.map { $0.bytesEqual(child) } ?? false) { entries.append(child) }
            } else {
                entries.append(key)
            }
        }
        return entries
    }

    /// A page's prefixes and objects merged by bytes, as the browser's tree appends them.
    static func merged(_ prefixes: [String], _ objects: [ObjectSummary]) -> [String] {
        (prefixes + objects.map(\.key)).sorted { $0.bytesPrecede($1) }
    }

    static func listLevel(_ lister: LevelLister, prefix: String = "u/",
                   cancel: CancellationFlag = CancellationFlag()) throws -> [String] {
        var names: [String] = []
        try lister.list(bucket: "b", prefix: prefix, cancel: cancel, convert: { Self.merged($0, $1) }) {
            names += $0
        }
        return names
    }

    func assertSameBytes(_ got: [String], _ want: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, "entry count", file: file, line: line)
        for (i, (g, w)) in zip(got, want).enumerated() where !g.bytesEqual(w) {
            XCTFail("entry \(i): \(Array(g.utf8)) instead of \(Array(w.utf8))", file: file, line: line)
            return
        }
    }

    func testAFlatLevelIsListedInRangesEveryEntryOnceInByteOrder() throws {
        let keys = levelKeys()
        let want = expectedLevel(keys, under: "u/")
        let transport = RangeWatchTransport(keys: keys, pageSize: 20)
        let warnings = WarningLog()
        let got = try Self.listLevel(LevelLister(client: client(transport, warnings: warnings), parallelism: 4))
        assertSameBytes(got, want)
        // Ranges did list it: several start-after chains, not one continuation chain.
        XCTAssertGreaterThan(Set(transport.startAfters).count, 3, "\(transport.startAfters)")
        // NFC and NFD twins are two entries each (a String-equality dedupe would merge them).
        XCTAssertEqual(got.filter { $0.bytesEqual("u/e\u{301}000/") || $0.bytesEqual("u/\u{e9}000/") }.count, 2)
        XCTAssertEqual(got.filter { $0.bytesEqual("u/e\u{301}001.a") || $0.bytesEqual("u/\u{e9}001.a") }.count, 2)
        XCTAssertEqual(warnings.lines, [])

        // The same as one chain lists it.
        let one = LevelLister(client: client(RangeWatchTransport(keys: keys, pageSize: 20)), parallelism: 4)
        one.splitsFlatLevels = false
        assertSameBytes(try Self.listLevel(one), want)
    }

    func testRangesAheadThatMustWaitStillListEverything() throws {
        // One page may wait ahead of the range being emitted: the head never waits for it.
        let keys = levelKeys()
        let lister = LevelLister(client: client(RangeWatchTransport(keys: keys, pageSize: 10)), parallelism: 4,
                                 pagesAhead: 1)
        assertSameBytes(try Self.listLevel(lister), expectedLevel(keys, under: "u/"))
    }

    func testAPrefixStraddlingARangeBoundaryIsListedOnce() throws {
        // Bounds through the middle of "u/m/" and of the NFD twin's prefix: the range each
        // prefix's own name falls in lists it, the one starting inside it drops it.
        var keys = (0..<10).map { "u/m/\($0)" } + (0..<10).map { "u/e\u{301}/\($0)" }
        keys += ["u/\u{e9}/1", "u/\u{e9}/2", "u/\u{e9}z1", "u/\u{e9}z2"]
        keys += (0..<30).map { String(format: "u/k%02d", $0) } + (0..<30).map { String(format: "u/n%02d", $0) }
        let ranges: [(after: String, upper: String?)] = [("u/", "u/e\u{301}/4"), ("u/e\u{301}/4", "u/m/5"),
                                                         ("u/m/5", "u/\u{e9}/1"), ("u/\u{e9}/1", nil)]
        let warnings = WarningLog()
        let run = LevelRun(client: client(RangeWatchTransport(keys: keys, pageSize: 3), warnings: warnings),
                           bucket: "b", prefix: "u/", ranges: ranges, threads: 3, pagesAhead: 100,
                           cancel: CancellationFlag(), convert: { Self.merged($0, $1) })
        var got: [String] = []
        try run.consume { got += $0 }
        assertSameBytes(got, expectedLevel(keys, under: "u/"))
        XCTAssertEqual(got.filter { $0.bytesEqual("u/m/") }.count, 1)
        XCTAssertEqual(warnings.lines, [], "a straddling prefix is no server fault")
    }

    func testRangeCutGivesAStraddlingPrefixToTheRangeBeforeAndEndsPastTheBound() {
        var cut = RangeCut(after: "u/m/5")
        let objects = ["u/m", "u/o1", "u/a"].map { ObjectSummary(key: $0, size: 1, lastModified: nil, etag: "e",
                                                                    storageClass: nil) }
        let (kept, prefixes, more) = cut.admitLevel(objects, prefixes: ["u/q/", "u/n/", "u/m/", "u/a/"], upper: "u/p")
        XCTAssertEqual(kept.map(\.key), ["u/o1"])
        XCTAssertEqual(prefixes, ["u/n/"])
        XCTAssertFalse(more, "u/q/ lies past the bound")
        // "u/m/" straddles the start and is not counted; "u/a/" and the keys before it are.
        XCTAssertEqual(cut.before, 3)
    }

    func testHostileRangeAnswersRepeatNothing() throws {
        // Every range is answered from three keys before its start: those are the range
        // before's, dropped with a warning.
        let keys = levelKeys()
        let transport = RangeWatchTransport(keys: keys, pageSize: 20)
        transport.overlapsStartAfter = true
        let warnings = WarningLog()
        let got = try Self.listLevel(LevelLister(client: client(transport, warnings: warnings), parallelism: 4))
        assertSameBytes(got, expectedLevel(keys, under: "u/"))
        XCTAssertTrue(warnings.lines.contains { $0.contains("at or before the start-after key") }, "\(warnings.lines)")
    }

    func testCancelStopsEveryRange() throws {
        let keys = levelKeys()
        let transport = RangeWatchTransport(keys: keys, pageSize: 20)
        transport.holdsRanges = true
        let lister = LevelLister(client: client(transport), parallelism: 4)
        let cancel = CancellationFlag()
        let finished = DispatchSemaphore(value: 0)
        final class Outcome: @unchecked Sendable {
            var error: Error?
            var inFlightAtReturn = -1
        }
        let outcome = Outcome()
        Thread.detachNewThread {
            do { _ = try LevelListerTests.listLevel(lister, cancel: cancel) } catch { outcome.error = error }
            outcome.inFlightAtReturn = transport.rangesInFlight
            finished.signal()
        }
        // Not a timing assertion: wait (at most 10 s) until several ranges are being listed.
        let deadline = Date().addingTimeInterval(10)
        while transport.rangesInFlight < 2 && Date() < deadline { usleep(1000) }
        XCTAssertGreaterThanOrEqual(transport.rangesInFlight, 2, "the ranges did not start at once")
        cancel.cancel()
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "the listing did not stop")
        guard case S3Error.cancelled? = outcome.error else {
            return XCTFail("the listing ended with \(String(describing: outcome.error)), not cancelled")
        }
        XCTAssertEqual(outcome.inFlightAtReturn, 0, "a range was still listing when the level returned")
        let started = transport.startAfters.count
        XCTAssertLessThanOrEqual(started, 4, "ranges went on starting after the cancel: \(transport.startAfters)")
    }
}
