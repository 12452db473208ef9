import Foundation
import XCTest
@testable import Operations
@testable import S3

/// A ListObjectsV2 endpoint over keys in memory that answers start-after and max-keys as S3
/// does (UTF-8 byte order), and can misbehave: answer probes (max-keys=1) with keys outside
/// the cell asked for or with keys that do not exist, answer start-after listings from the
/// start of the prefix, send each page's keys in reverse order. Counts the requests in flight
/// at once, and can hold the cutting probes until the test opens a gate.
final class ScriptedRangeTransport: HTTPTransport, @unchecked Sendable {
    let keys: [[UInt8]]
    let pageSize: Int
    var probesAnswerOutside = false
    /// Start-after listings begin three keys early (keys of the range before).
    var overlapsStartAfter = false
    /// Slows each request a little so that parallel requests overlap (not a timing assertion).
    var delay: useconds_t = 0
    /// Probes of cells (not the "/" checks) claim the cell holds a key that does not exist.
    var probesInvent = false
    /// Probes of cells only answer with a key outside the cell.
    var cellProbesAnswerOutside = false
    /// Each page's keys come in reverse order.
    var reversesPages = false
    /// Probes of cells wait until `openGate()` (or 10 s, then `gateTimedOut`).
    var gated = false
    private let gate = NSCondition()
    private var gateOpen = false
    private(set) var gateTimedOut = false
    private let lock = NSLock()
    private var inFlight = 0
    private(set) var maxInFlight = 0
    private(set) var startAfters: [String] = []
    private(set) var probes = 0
    private(set) var served = 0

    func openGate() {
        gate.lock()
        gateOpen = true
        gate.broadcast()
        gate.unlock()
    }

    private func waitAtGate() {
        gate.lock()
        defer { gate.unlock() }
        let deadline = Date().addingTimeInterval(10)
        while !gateOpen {
            // Not a timing assertion: a lister that waits for its probes before listing never
            // opens the gate, and the test sees the timeout instead of hanging.
            if !gate.wait(until: deadline) {
                gateTimedOut = true
                gateOpen = true
            }
        }
    }

    init(keys: [String], pageSize: Int) {
        self.keys = keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        self.pageSize = pageSize
    }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        lock.withLock {
            inFlight += 1
            maxInFlight = max(maxInFlight, inFlight)
        }
        defer { lock.withLock { inFlight -= 1 } }
        if delay > 0 { usleep(delay) }
        let query = Dictionary(request.query, uniquingKeysWith: { a, _ in a })
        let prefix = Array((query["prefix"] ?? "").utf8)
        let delimiter = query["delimiter"].map { Array($0.utf8) }
        let maxKeys = query["max-keys"].flatMap { Int($0) } ?? pageSize
        lock.withLock {
            served += 1
            if maxKeys == 1 { probes += 1 }
            if let s = query["start-after"] { startAfters.append(s) }
        }
        let cellProbe = maxKeys == 1 && !prefix.isEmpty && prefix.last != UInt8(ascii: "/")
        if cellProbe && gated { waitAtGate() }
        if cellProbe && probesInvent {
            let made = prefix + Array("0".utf8)
            let body = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>"
                + "\(KeyListTransport.xml(made))</Key><Size>1</Size><ETag>&quot;e&quot;</ETag></Contents>"
                + "</ListBucketResult>"
            return HTTPResponse(status: 200, body: Data(body.utf8))
        }
        if maxKeys == 1 && (probesAnswerOutside || (cellProbe && cellProbesAnswerOutside)) {
            // A key from elsewhere in the bucket, "more follow".
            let other = keys.first { !$0.starts(with: prefix) } ?? Array("zzz".utf8)
            let body = "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>"
                + "\(Data(other).base64EncodedString())</NextContinuationToken><Contents><Key>"
                + "\(KeyListTransport.xml(other))</Key><Size>1</Size><ETag>&quot;e&quot;</ETag></Contents>"
                + "</ListBucketResult>"
            return HTTPResponse(status: 200, body: Data(body.utf8))
        }
        var position = keys.firstIndex { !$0.lexicographicallyPrecedes(prefix) } ?? keys.count
        if let token = query["continuation-token"], let after = Data(base64Encoded: token) {
            let a = Array(after)
            let skipBelow = delimiter != nil && a.last == UInt8(ascii: "/")
            position = keys.firstIndex { a.lexicographicallyPrecedes($0) && !(skipBelow && $0.starts(with: a)) }
                ?? keys.count
        } else if let s = query["start-after"] {
            let a = Array(s.utf8)
            let past = keys.firstIndex { a.lexicographicallyPrecedes($0) } ?? keys.count
            position = max(position, overlapsStartAfter ? past - 3 : past)
        }
        var contents = "", prefixes = "", count = 0, last: [UInt8]?
        var items: [String] = []
        while count < min(maxKeys, pageSize), position < keys.count, keys[position].starts(with: prefix) {
            let key = keys[position]
            if let delimiter, let d = key[prefix.count...].firstIndex(of: delimiter[0]) {
                let child = Array(key[..<(d + 1)])
                prefixes += "<CommonPrefixes><Prefix>\(KeyListTransport.xml(child))</Prefix></CommonPrefixes>"
                last = child
                while position < keys.count, keys[position].starts(with: child) { position += 1 }
            } else {
                items.append("<Contents><Key>\(KeyListTransport.xml(key))</Key><Size>\(key.count)</Size>"
                    + "<ETag>&quot;e&quot;</ETag></Contents>")
                last = key
                position += 1
            }
            count += 1
        }
        contents = (reversesPages ? items.reversed() : items).joined()
        let truncated = position < keys.count && keys[position].starts(with: prefix)
        var body = "<ListBucketResult><IsTruncated>\(truncated)</IsTruncated>"
        if truncated, let last {
            body += "<NextContinuationToken>\(Data(last).base64EncodedString())</NextContinuationToken>"
        }
        body += contents + prefixes + "</ListBucketResult>"
        return HTTPResponse(status: 200, body: Data(body.utf8))
    }
}

final class KeySpaceSplitterTests: XCTestCase {
    func client(_ transport: HTTPTransport, warnings: WarningLog? = nil) -> S3Client {
        let config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let c = S3Client(config: config, makeTransport: { transport })
        if let warnings { c.warn = { warnings.add($0) } }
        return c
    }

    final class WarningLog: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.withLock { items.append(s) } }
        var lines: [String] { lock.withLock { items } }
    }

    /// One flat prefix whose keys start and end with multi-byte characters: NFC and NFD
    /// spellings of e-acute (one String to Swift, two keys), bytes above 0x7F right after
    /// the prefix, an emoji, ASCII below "0" ("-", ".") that points must not use.
    func flatKeys(per: Int = 60) -> [String] {
        var keys: [String] = []
        for lead in ["0", "A", "e\u{301}", "z", "\u{e9}", "\u{65e5}", "\u{1F600}", "-"] {
            for i in 0..<per {
                for tail in [".a", "e\u{301}", "\u{e9}", "\u{1F600}"] {
                    keys.append("u/\(lead)\(String(format: "%03d", i))\(tail)")
                }
            }
        }
        return keys
    }

    func byteSorted(_ keys: [String]) -> [String] { keys.sorted { $0.bytesPrecede($1) } }

    // MARK: The splitter alone

    func testAlphabetIsScalarsFromZeroUpInByteOrderWithNFCAndNFDApart() {
        let alphabet = KeySpaceSplitter.alphabet(of: ["p/a-b.c", "p/e\u{301}9", "p/\u{e9}/x", "q/Z"], after: "p/",
                                                 limit: 40)
        XCTAssertEqual(alphabet.map { $0.unicodeScalars.first!.value },
                       [0x39, 0x61, 0x62, 0x63, 0x65, 0x78, 0xE9, 0x301],
                       "no '-', '.', '/'; U+0301 and U+00E9 both; nothing from keys outside the prefix")
    }

    /// Probes answered from a key set: the first key that starts with the cell.
    func answers(_ keys: [String]) -> KeySpaceSplitter.Probe {
        let sorted = byteSorted(keys)
        return { cells in
            cells.map { cell in sorted.first { $0.hasBytePrefix(cell) }.map { .first($0) } ?? .empty }
        }
    }

    func testPointsAreIncreasingByBytesAfterTheStartAndNeverNameADirectory() throws {
        var keys = flatKeys()
        keys.append("u/z000/inside")  // a directory named like a cell: never a point
        let sorted = byteSorted(keys)
        let after = sorted[30]
        let splitter = KeySpaceSplitter(prefix: "u/", after: after, sample: sorted,
                                        targetRanges: 100, probeBudget: 2000)
        let points = try splitter.splitPoints(probe: answers(keys))
        XCTAssertGreaterThanOrEqual(points.count, 8, "\(points)")
        XCTAssertTrue(after.bytesPrecede(points[0]))
        for (a, b) in zip(points, points.dropFirst()) { XCTAssertTrue(a.bytesPrecede(b), "\(a) before \(b)") }
        XCTAssertFalse(points.contains { $0.bytesEqual("u/z000") })
        XCTAssertTrue(points.contains { $0.hasBytePrefix("u/e\u{301}") }
                      && points.contains { $0.hasBytePrefix("u/\u{e9}") },
                      "NFD and NFC leads are cells of their own: \(points)")
        for p in points {
            XCTAssertTrue(p.droppingBytePrefix("u/").unicodeScalars.allSatisfy { $0.value >= 0x30 }, p)
        }
    }

    func testNonsenseProbesLeaveTheirCellWholeAndTheBudgetHolds() throws {
        let keys = flatKeys()
        var asked = 0
        let splitter = KeySpaceSplitter(prefix: "u/", after: "u/", sample: keys, targetRanges: 1000, probeBudget: 50)
        let points = try splitter.splitPoints { cells in
            asked += cells.count
            return cells.map { _ in .nonsense }
        }
        XCTAssertEqual(points, [], "no answer made sense: no point")
        XCTAssertLessThanOrEqual(asked, 50 + 1)
        asked = 0
        _ = try splitter.splitPoints { cells in
            asked += cells.count
            return cells.map { .first($0 + "0") }  // "everything is populated": bounded by the budget
        }
        XCTAssertLessThanOrEqual(asked, 50 * 2)
    }

    // MARK: The lister

    func list(_ transport: ScriptedRangeTransport, parallelism: Int = 4, ordered: Bool = true,
              warnings: WarningLog? = nil) throws -> [String] {
        var listed: [String] = []
        let lister = RecursiveLister(client: client(transport, warnings: warnings), parallelism: parallelism,
                                     pagesPerChain: 2)
        if ordered {
            try lister.list(bucket: "b", prefix: "u/") { listed += $0.map(\.key) }
        } else {
            try lister.listUnordered(bucket: "b", prefix: "u/") { listed += $0.map(\.key) }
        }
        return listed
    }

    func testAFlatPrefixIsListedInRangesAtOnceInByteOrder() throws {
        let keys = flatKeys()
        let transport = ScriptedRangeTransport(keys: keys + ["other/x"], pageSize: 50)
        transport.delay = 2000
        let listed = try list(transport)
        XCTAssertEqual(listed, byteSorted(keys), "every key once, in UTF-8 byte order")
        XCTAssertGreaterThan(transport.probes, 0)
        XCTAssertGreaterThanOrEqual(Set(transport.startAfters.map { Array($0.utf8) }).count, 4,
                                    "ranges listed from start-after points")
        XCTAssertTrue(transport.startAfters.contains { $0.utf8.contains(0xCC) || $0.utf8.contains(0xC3) },
                      "points after the prefix with bytes above 0x7F: \(transport.startAfters)")
        XCTAssertGreaterThan(transport.maxInFlight, 1, "ranges in parallel")
        XCTAssertLessThanOrEqual(transport.maxInFlight, 4, "never more requests than the parallelism")

        let unordered = try list(ScriptedRangeTransport(keys: keys, pageSize: 50), ordered: false)
        XCTAssertEqual(byteSorted(unordered), byteSorted(keys))
    }

    func testOneChainWhenSplittingIsOff() throws {
        let keys = flatKeys()
        let transport = ScriptedRangeTransport(keys: keys, pageSize: 50)
        var listed: [String] = []
        let lister = RecursiveLister(client: client(transport), parallelism: 4, pagesPerChain: 2)
        lister.splitsFlatLevels = false
        try lister.list(bucket: "b", prefix: "u/") { listed += $0.map(\.key) }
        XCTAssertEqual(listed, byteSorted(keys))
        XCTAssertEqual(transport.probes, 0)
        XCTAssertEqual(transport.startAfters, [])
    }

    func testProbesAnsweredWithKeysOutsideTheCellLoseAndRepeatNothing() throws {
        let keys = flatKeys()
        let transport = ScriptedRangeTransport(keys: keys + ["a/elsewhere"], pageSize: 50)
        transport.probesAnswerOutside = true
        let warnings = WarningLog()
        let listed = try list(transport, warnings: warnings)
        XCTAssertEqual(listed, byteSorted(keys))
        XCTAssertFalse(listed.contains("a/elsewhere"))
        XCTAssertTrue(warnings.lines.contains { $0.contains("outside the prefix") }, "\(warnings.lines)")
    }

    func testRangesAnsweredFromBeforeTheirStartRepeatNothing() throws {
        let keys = flatKeys()
        let transport = ScriptedRangeTransport(keys: keys, pageSize: 50)
        transport.overlapsStartAfter = true
        let warnings = WarningLog()
        for ordered in [true, false] {
            let listed = try list(transport, ordered: ordered, warnings: warnings)
            XCTAssertEqual(ordered ? listed : byteSorted(listed), byteSorted(keys), "ordered \(ordered)")
        }
        XCTAssertGreaterThan(transport.startAfters.count, 0)
        XCTAssertTrue(warnings.lines.contains { $0.contains("at or before the start-after key") }, "\(warnings.lines)")
    }

    /// The consumer takes its first batch and then waits until the lister has had every
    /// chance to run ahead: the ranges may hold their shared budget, not the listing.
    func testRangesAheadHoldABoundedNumberOfPages() throws {
        let keys = (0..<4_000).map { String(format: "u/%05d", $0) }
        let transport = ScriptedRangeTransport(keys: keys, pageSize: 10)
        let lister = RecursiveLister(client: client(transport), parallelism: 4, pagesPerChain: 2)
        var held = -1, emitted = 0
        try lister.list(bucket: "b", prefix: "u/") { batch in
            if held < 0 {
                // Not a timing assertion: the wait ends early only when the lister ran far ahead.
                let deadline = Date().addingTimeInterval(1.5)
                while transport.served < 200 && Date() < deadline { usleep(5000) }
                held = transport.served - transport.probes - emitted
            }
            emitted += (batch.count + 9) / 10
        }
        XCTAssertGreaterThan(transport.startAfters.count, 0)
        // 4 x 2 pages of budget, 2 for the range being emitted, 4 in flight, the first page
        // and the delimiter listing of "": without the budget, whole ranges (hundreds).
        XCTAssertLessThanOrEqual(held, 20, "pages listed but not emitted, of \(transport.served)")
    }

    // MARK: Ranges listed while probed, and cut again when dense

    func lister(_ transport: ScriptedRangeTransport, parallelism: Int = 4, probesAtFirstPage: Bool = true,
                warnings: WarningLog? = nil) -> RecursiveLister {
        let lister = RecursiveLister(client: client(transport, warnings: warnings), parallelism: parallelism,
                                     pagesPerChain: 2)
        lister.probesAtFirstPage = probesAtFirstPage
        return lister
    }

    /// The probes that cut the rest of a flat prefix are held until the consumer has keys
    /// from beyond the first page: a lister that waited for its probes before listing the
    /// rest would never get there.
    func testTheRestIsListedAndEmittedWhileItsProbesRun() throws {
        let keys = flatKeys()
        let transport = ScriptedRangeTransport(keys: keys, pageSize: 50)
        transport.gated = true
        var listed: [String] = []
        try lister(transport).list(bucket: "b", prefix: "u/") { batch in
            listed += batch.map(\.key)
            if listed.count > 50 { transport.openGate() }
        }
        XCTAssertFalse(transport.gateTimedOut, "keys after the first page came only after the probes")
        XCTAssertEqual(listed, byteSorted(keys))
        XCTAssertGreaterThan(Set(transport.startAfters.map { Array($0.utf8) }).count, 1, "the rest was cut")
        XCTAssertLessThanOrEqual(transport.maxInFlight, 4)
    }

    /// Without probes at the first page the rest is one range; once it has listed a few
    /// pages with workers idle, its remainder is cut and listed by them.
    func testADenseRangeIsCutAgainWhileItIsListed() throws {
        let keys = (0..<3_000).map { String(format: "u/%05d", $0) }
        for ordered in [true, false] {
            let transport = ScriptedRangeTransport(keys: keys + ["v/0"], pageSize: 10)
            transport.delay = 1000
            var listed: [String] = []
            let l = lister(transport, probesAtFirstPage: false)
            if ordered {
                try l.list(bucket: "b", prefix: "u/") { listed += $0.map(\.key) }
            } else {
                try l.listUnordered(bucket: "b", prefix: "u/") { listed += $0.map(\.key) }
            }
            XCTAssertEqual(ordered ? listed : byteSorted(listed), keys, "ordered \(ordered): every key once")
            XCTAssertGreaterThanOrEqual(Set(transport.startAfters).count, 3,
                                        "ordered \(ordered): the one range was cut: \(transport.startAfters)")
            XCTAssertGreaterThan(transport.maxInFlight, 1)
            XCTAssertLessThanOrEqual(transport.maxInFlight, 4, "workers and probes within the parallelism")
        }
    }

    /// Hostile answers while a dense range is cut: probes that claim keys that do not exist,
    /// probes answered from outside their cell, ranges answered from before their start,
    /// pages in reverse order. The cut costs balance at most: every key once, in byte order.
    func testHostileAnswersWhileADenseRangeIsCutRepeatOrLoseNothing() throws {
        let keys = flatKeys(per: 40)
        let hostile: [(String, (ScriptedRangeTransport) -> Void)] = [
            ("invented keys", { $0.probesInvent = true }),
            ("answers outside the cell", { $0.cellProbesAnswerOutside = true }),
            ("start-after ignored", { $0.overlapsStartAfter = true }),
            ("pages reversed", { $0.reversesPages = true })]
        for (name, misbehave) in hostile {
            for (probesAtFirstPage, ordered) in [(false, true), (true, true), (false, false)] {
                let transport = ScriptedRangeTransport(keys: keys + ["a/elsewhere"], pageSize: 20)
                misbehave(transport)
                var listed: [String] = []
                let l = lister(transport, probesAtFirstPage: probesAtFirstPage, warnings: WarningLog())
                if ordered {
                    try l.list(bucket: "b", prefix: "u/") { listed += $0.map(\.key) }
                } else {
                    try l.listUnordered(bucket: "b", prefix: "u/") { listed += $0.map(\.key) }
                }
                XCTAssertEqual(ordered ? listed : byteSorted(listed), byteSorted(keys),
                               "\(name), probes at first page \(probesAtFirstPage), ordered \(ordered)")
            }
        }
    }
}
