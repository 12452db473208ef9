import Browser
import Foundation
import Operations
import S3
import TestSupport
import XCTest

final class CacheColumnsSessionTests: XCTestCase {
    static let names = (0..<60).map { String(format: "f%02d.css", $0) }

    /// 60 objects; every tenth has `no-cache`, the others a year.
    func site() -> ScriptedTransport {
        let t = ScriptedTransport()
        t.on("GET", path: "/site", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "site", prefix: "", objects: Self.names.map { .init($0) })
        }
        for (i, name) in Self.names.enumerated() {
            t.on("HEAD", path: "/site/" + name) { _ in
                S3Answers.head(contentType: "text/css", [
                    ("Cache-Control", i % 10 == 0 ? "no-cache" : "public, max-age=31536000"),
                    ("Content-Encoding", "gzip"),
                ])
            }
        }
        return t
    }

    func headedKeys(_ t: ScriptedTransport) -> [String] {
        t.requests.filter { $0.method == "HEAD" }.map { String($0.path.dropFirst("/site/".count)) }
    }

    func rowNames(_ d: BrowserDriver) -> [String] {
        d.state.rows.compactMap { d.state.child(of: $0)?.name }
    }

    func testHShowsTheHeadersOfTheRowsOnScreenOnlyAndSortsAndFiltersByThem() throws {
        let t = site()
        let d = BrowserDriver(bucket: "site", width: 100, height: 24, transport: t)
        d.runUntilIdle()
        d.press(.tab)  // no details pane: its HEAD would blur what the columns ask
        t.forgetRequests()
        d.press(.char("H"))
        // 21 rows on screen: 21 HEADs, none for the 39 rows below.
        XCTAssertEqual(headedKeys(t), Array(Self.names.prefix(21)), d.text)
        let first = d.text.split(separator: "\n")[1]
        XCTAssertTrue(first.contains("f00.css") && first.contains("no-cache") && first.contains("text/css")
                      && first.contains("gzip"), String(first))
        XCTAssertTrue(d.text.contains("f01.css") && d.text.contains("public, max-age=31536000"), d.text)
        assertSnapshot(d.screen, named: "columns-100x24")

        // Two pages down: the rows now on screen, and still none beyond them.
        t.forgetRequests()
        d.press(.pageDown, .pageDown)
        XCTAssertEqual(headedKeys(t), Array(Self.names[21...40]), d.text)
        XCTAssertEqual(d.state.columns.count, 41)

        // o: name, size, date, then the header columns; Cache-Control sorts no-cache first.
        d.press(.char("o"), .char("o"), .char("o"))
        XCTAssertEqual(d.state.sort.key, .cacheControl)
        XCTAssertEqual(Array(rowNames(d).prefix(6)), ["f00.css", "f10.css", "f20.css", "f30.css", "f40.css",
                                                       "f01.css"])
        XCTAssertEqual(rowNames(d).last, "f59.css", "rows not read yet go last")
        d.press(.char("o"), .char("o"), .char("o"))
        XCTAssertEqual(d.state.sort.key, .name, "the cycle goes through the columns and back")

        // A header filter: the rows not read yet come on screen, are read, and only the
        // no-cache ones stay.
        d.press(.char("/"))
        d.type("cc:no-cache")
        d.press(.enter)
        XCTAssertEqual(rowNames(d), ["f00.css", "f10.css", "f20.css", "f30.css", "f40.css", "f50.css"], d.text)
        XCTAssertEqual(Set(headedKeys(t)).count, 60 - 21)
        XCTAssertEqual(Set(headedKeys(t)).count, headedKeys(t).count, "each object is read once")

        // H off: back to the date and storage columns, nothing more asked.
        d.press(.escape, .char("H"))
        XCTAssertFalse(d.text.contains("max-age"), d.text)
    }

    /// Sorting a long level by a header reads no more than the rows on screen: answers do not
    /// move rows (which would bring unread rows on screen, read in turn, a cascade through the
    /// whole level); the sort orders what was read and says how much that is.
    func testSortingByAHeaderReadsOnlyTheRowsOnScreenNotTheWholeLevel() throws {
        let names = (0..<300).map { String(format: "g%03d.css", $0) }
        let t = ScriptedTransport()
        t.on("GET", path: "/site", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "site", prefix: "", objects: names.map { .init($0) })
        }
        for (i, name) in names.enumerated() {
            t.on("HEAD", path: "/site/" + name) { _ in
                S3Answers.head(contentType: "text/css", [("Cache-Control", i % 7 == 0 ? "no-cache" : "max-age=60")])
            }
        }
        let d = BrowserDriver(bucket: "site", width: 100, height: 24, transport: t)
        d.runUntilIdle()
        d.press(.tab, .char("H"), .end, .home)
        XCTAssertEqual(Set(headedKeys(t)).count, 42, "the first screen and the last")
        t.forgetRequests()
        d.press(.char("o"), .char("o"), .char("o"))
        XCTAssertEqual(d.state.sort.key, .cacheControl)
        XCTAssertEqual(headedKeys(t), [], "the rows on screen were read")
        let status = d.text.split(separator: "\n").suffix(3).joined()
        XCTAssertTrue(status.contains("sorted by cache-control as read so far (42 of 300 objects; the others after "
                                      + "them in key order, O sorts again)"), d.text)
        // max-age=60 before no-cache, then those not read when the sort was asked, in key order.
        var rows = rowNames(d)
        XCTAssertEqual(Array(rows.prefix(3)), ["g001.css", "g002.css", "g003.css"])
        XCTAssertEqual(rows[42], "g021.css", d.text)
        XCTAssertEqual(rows.count, 300)

        // Reversed, what was read still comes first and the unread rows stay where they were:
        // the screen is read once, and no answer brings new unread rows onto it.
        d.press(.char("O"))
        XCTAssertTrue(d.state.sort.reversed)
        XCTAssertLessThanOrEqual(headedKeys(t).count, 21, "at most the rows on screen")
        rows = rowNames(d)
        XCTAssertEqual(Array(rows.prefix(2)), ["g000.css", "g007.css"], "no-cache first, reversed")
        XCTAssertEqual(rows[42], "g021.css", d.text)
        XCTAssertEqual(rows.last, "g278.css")
    }

    /// The state asks at most 8 at a time, and a scroll cancels those of rows gone off screen.
    func testColumnHEADsAreBoundedAndCancelledWhenTheirRowsScrollAway() {
        var (s, _) = BrowserState.start(bucket: "site", prefix: "", width: 100, height: 24)
        let node = NodeID(bucket: "site", prefix: "")
        _ = s.reduce(.listed(node: node, token: 1, prefixes: [],
                             objects: Self.names.map {
                                 ListedObject(name: $0, size: 1, modified: 1, storageClass: .init(nil))
                             }))
        _ = s.reduce(.listingFinished(node: node, token: 1, error: nil))
        _ = s.reduce(.key(.tab))
        func heads(_ effects: [BrowserEffect]) -> [(RequestID, String)] {
            effects.compactMap { if case .headColumns(let id, _, let key) = $0 { return (id, key) }; return nil }
        }
        let asked = heads(s.reduce(.key(.char("H"))) + s.settle())
        XCTAssertEqual(asked.map(\.1), Array(Self.names.prefix(8)))
        XCTAssertEqual(s.openRequests.values.filter { $0 == .columns }.count, 8)

        // One answer frees one place: the ninth row is asked.
        let answer = HeaderColumns(etag: "e", cacheControl: "no-cache", contentType: nil, contentEncoding: nil)
        let next = heads(s.reduce(.columnsHeaded(id: asked[0].0, bucket: "site", key: asked[0].1, .success(answer))))
        XCTAssertEqual(next.map(\.1), ["f08.css"])

        // The end of the list: the 8 asked for rows now off screen are cancelled (and closed),
        // the rows on screen asked instead.
        let effects = s.reduce(.key(.end))
        let cancelled = effects.compactMap { e -> [RequestID]? in
            if case .cancelHeadColumns(let ids) = e { return ids }
            return nil
        }
        XCTAssertEqual(cancelled, [(asked.dropFirst().map(\.0) + next.map(\.0)).sorted()])
        XCTAssertEqual(heads(effects).map(\.1), Array(Self.names[39..<47]))
        XCTAssertEqual(s.openRequests.values.filter { $0 == .columns }.count, 8)
        // A late answer of a cancelled request changes nothing.
        _ = s.reduce(.columnsHeaded(id: asked[1].0, bucket: "site", key: asked[1].1, .success(answer)))
        XCTAssertFalse(s.columns.keys.contains { $0.key == asked[1].1 })
    }

    /// Rows that come on screen when a listing ends (the rows are settled by that event):
    /// every column HEAD the state holds open was handed out as an effect, or [busy] and the
    /// rows' `…` would stay for ever (seen after `g` to a level with H on).
    func testEveryColumnRequestOpenedWhileSettlingIsSent() {
        var (s, _) = BrowserState.start(bucket: "site", prefix: "", width: 100, height: 24)
        var sent = Set<RequestID>()
        func run(_ event: BrowserEvent) {
            for e in s.reduce(event) { if case .headColumns(let id, _, _) = e { sent.insert(id) } }
        }
        run(.key(.tab))
        run(.key(.char("H")))
        let node = NodeID(bucket: "site", prefix: "")
        run(.listed(node: node, token: 1, prefixes: [],
                    objects: Self.names.prefix(5).map {
                        ListedObject(name: $0, size: 1, modified: 1, storageClass: .init(nil))
                    }))
        run(.listingFinished(node: node, token: 1, error: nil))
        let open = Set(s.openRequests.filter { $0.value == .columns }.keys)
        XCTAssertEqual(open.count, 5, "the five rows on screen are asked for")
        XCTAssertEqual(open, sent, "a request opened but never sent")
    }

    /// The session drops a column HEAD cancelled while it waited for a worker.
    func testTheSessionSendsNoHEADForARowCancelledBeforeItsTurn() {
        let t = ScriptedTransport()
        let gate = DispatchSemaphore(value: 0)
        t.on("HEAD", path: "/site/slow.css") { _ in gate.wait(); return S3Answers.head() }
        t.on("HEAD", path: "/site/late.css") { _ in S3Answers.head() }
        let d = BrowserDriver(bucket: nil, transport: t)
        for i in 0..<BrowserState.columnsInFlight {
            d.session.perform(.headColumns(id: RequestID(100 + i), bucket: "site", key: "slow.css"))
        }
        d.session.perform(.headColumns(id: RequestID(200), bucket: "site", key: "late.css"))
        d.session.perform(.cancelHeadColumns(ids: [RequestID(200)]))
        for _ in 0..<BrowserState.columnsInFlight { gate.signal() }
        d.session.waitUntilIdle()
        XCTAssertEqual(t.requests.filter { $0.path == "/site/late.css" }.count, 0)
        XCTAssertEqual(t.requests.filter { $0.path == "/site/slow.css" }.count, BrowserState.columnsInFlight)
    }
}
