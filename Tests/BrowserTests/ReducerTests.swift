import XCTest
@testable import Browser

final class ReducerTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")
    let media = NodeID(bucket: "site", prefix: "media/")

    func testBucketListThenExpandListsWithItsOwnToken() {
        var d = Driver()
        XCTAssertEqual(d.effects, [.listBuckets])
        d.send(.bucketsListed(.success([.bucket(name: "logs", created: 0), .bucket(name: "site", created: 0)])))
        XCTAssertEqual(d.state.rows.count, 2)
        let e = d.keys(.down, .enter)
        XCTAssertTrue(e.contains(.list(node: site, token: 1)), "\(e)")
        XCTAssertTrue(d.state.isBusy)
        XCTAssertTrue(d.text.contains("[busy]"))
        d.answer(site, prefixes: ["media/", "static/"], objects: [obj("robots.txt")])
        XCTAssertFalse(d.state.isBusy)
        XCTAssertEqual(d.state.rows.count, 5)
        XCTAssertTrue(d.text.contains("[idle]"))
    }

    func testPagesStreamInAndCollapsingCancelsTheListing() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"])
        d.keys(.enter)
        let t = d.token(media)!
        d.send(.listed(node: media, token: t, prefixes: [], objects: (0..<1000).map { obj(String(format: "f%04d", $0)) }))
        XCTAssertEqual(d.state.rows.count, 1001, "first page drawn before the listing ends")
        XCTAssertTrue(d.text.contains("⟳ 1,000"))
        let e = d.keys(.left)
        XCTAssertEqual(e, [.cancelListing(token: t)])
        XCTAssertEqual(d.state.rows.count, 1)
        // A late page of the cancelled listing is ignored.
        d.send(.listed(node: media, token: t, prefixes: [], objects: [obj("late")]))
        d.keys(.enter)
        let t2 = d.token(media)!
        XCTAssertNotEqual(t, t2, "re-expanding a partial listing starts again")
    }

    func testStartAtAPrefixExpandsThePathAndSelectsIt() {
        var d = Driver(bucket: "site", prefix: "media/2024/")
        XCTAssertEqual(d.effects.compactMap { if case .list(let n, _) = $0 { return n.prefix } else { return nil } },
                       ["", "media/", "media/2024/"])
        d.answer(site, prefixes: ["media/", "static/"])
        d.answer(media, prefixes: ["2023/", "2024/"])
        d.answer(NodeID(bucket: "site", prefix: "media/2024/"), objects: [obj("a.jpg")])
        XCTAssertEqual(d.state.cursorEntry?.key, "media/2024/")
        XCTAssertEqual(d.state.currentLocation.prefix, "media/2024/")
    }

    func testDetailsAreDebouncedAndCached() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a"), obj("b")])
        let e = d.keys(.down)
        XCTAssertEqual(e, [.timer(seconds: BrowserState.headDelay, event: .head(bucket: "site", key: "b"))])
        // The cursor moved on before the timer fired: no request for "b".
        d.keys(.up)
        XCTAssertEqual(d.send(.headTimerFired(bucket: "site", key: "b")), [])
        XCTAssertEqual(d.send(.headTimerFired(bucket: "site", key: "a")), [.head(bucket: "site", key: "a")])
        d.send(.headed(bucket: "site", key: "a", .success([DetailRow("Cache-Control", "max-age=60")])))
        XCTAssertTrue(d.text.contains("max-age=60"))
        d.keys(.down)
        XCTAssertEqual(d.keys(.up), [], "cached: no second request")
    }

    func testFilterSortAndMarks() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("big.jpg", 5000, 1), obj("small.css", 10, 3), obj("mid.js", 700, 2)])
        d.keys(.char("/"))
        d.type(".j")
        XCTAssertEqual(d.state.rows.count, 2)
        d.keys(.escape)
        XCTAssertEqual(d.state.rows.count, 3)
        d.keys(.char("o"))  // size
        XCTAssertEqual(d.state.rows.map { d.state.child(of: $0)!.name }, ["big.jpg", "mid.js", "small.css"])
        d.keys(.char("o"))  // date
        XCTAssertEqual(d.state.rows.map { d.state.child(of: $0)!.name }, ["small.css", "mid.js", "big.jpg"])
        d.keys(.char("O"))
        XCTAssertEqual(d.state.rows.map { d.state.child(of: $0)!.name }, ["big.jpg", "mid.js", "small.css"])
        d.keys(.home, .char(" "), .char(" "))
        XCTAssertEqual(d.state.marks.count, 2)
        XCTAssertEqual(d.state.markedBytes, 5700)
        XCTAssertTrue(d.text.contains("2 marked (5.6 KiB)"))
        d.keys(.char("u"))
        XCTAssertTrue(d.state.marks.isEmpty)
    }

    func testMeasureShowsLiveCounts() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"])
        XCTAssertEqual(d.keys(.char("s")), [.measure(node: media)])
        d.send(.measured(node: media, MeasureState(objects: 1500, bytes: 3 << 20, finished: false)))
        XCTAssertTrue(d.text.contains("… 1,500 obj"), d.text)
        XCTAssertTrue(d.state.isBusy)
        d.send(.measured(node: media, MeasureState(objects: 2000, bytes: 4 << 20, finished: true)))
        XCTAssertTrue(d.text.contains("4.0 MiB"))
        XCTAssertFalse(d.state.isBusy)
    }

    func testErrorsStayInTheirNodeAndTheStatusLine() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["private/", "public/"])
        d.keys(.enter)
        let priv = NodeID(bucket: "site", prefix: "private/")
        d.send(.listingFinished(node: priv, token: d.token(priv)!, error: BrowserError("access denied to s3://site/private/")))
        XCTAssertTrue(d.text.contains("! access denied"), d.text)
        d.keys(.down, .down, .enter)
        XCTAssertNotNil(d.token(NodeID(bucket: "site", prefix: "public/")), "the rest keeps working")
    }

    func testJumpAndHelpAndQuit() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"])
        d.keys(.char("g"))
        d.type("media/2024/")
        let e = d.keys(.enter)
        XCTAssertTrue(e.contains(.list(node: media, token: d.token(media)!)))
        d.keys(.char("?"))
        XCTAssertTrue(d.text.contains("generated from pail's keymap"))
        d.keys(.char("x"))
        XCTAssertEqual(d.state.mode, .browse)
        XCTAssertEqual(d.keys(.ctrl("c")).last, .quit)
    }

    func testMouseSelectsAndOpens() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["a/", "b/"], objects: [obj("c")])
        d.send(.mouse(.click(row: 3, column: 5)))
        XCTAssertEqual(d.state.cursor, 2)
        let e = d.send(.mouse(.doubleClick(row: 2, column: 5)))
        XCTAssertTrue(e.contains(.list(node: NodeID(bucket: "site", prefix: "b/"), token: d.token(NodeID(bucket: "site", prefix: "b/"))!)))
    }

    func testKeymapIsTheOneSourceOfHelpAndFooter() {
        var seen = Set<Key>()
        for b in Keymap.bindings {
            for k in b.keys { XCTAssertTrue(seen.insert(k).inserted, "\(k) bound twice") }
        }
        let wide = Driver(bucket: "site", width: 120, height: 30)
        for b in Keymap.bindings where b.footer != nil { XCTAssertTrue(wide.text.contains(b.footer!), b.footer!) }
        let narrow = Driver(bucket: "site", width: 40, height: 10).text
        XCTAssertTrue(narrow.contains("? help") && narrow.contains("q quit"), narrow)
    }
}
