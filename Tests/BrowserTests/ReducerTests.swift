import XCTest
@testable import Browser
import Operations

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
        let page = (0..<1000).map { obj(String(format: "f%04d", $0)) }
        d.send(.listed(node: media, token: t, prefixes: [], objects: page))
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
        XCTAssertEqual(d.send(.headTimerFired(bucket: "site", key: "a")),
                       [.head(id: d.lastID, bucket: "site", key: "a"),
                        .probePublic(id: RequestID(d.lastID.value + 1), bucket: "site", key: "a")])
        d.send(.headed(id: d.lastID, bucket: "site", key: "a", .success([DetailRow("Cache-Control", "max-age=60")])))
        XCTAssertTrue(d.text.contains("max-age=60"))
        d.keys(.down)
        XCTAssertEqual(d.keys(.up), [], "cached: no second request")
    }

    func testTabOnATerminalTooSmallForDetailsSaysWhy() {
        var d = Driver(bucket: "site", width: 40, height: 15)
        d.answer(site, objects: [obj("a")])
        d.keys(.tab)
        XCTAssertTrue(d.text.contains("details need 20 rows or 110 columns"), d.text)
        XCTAssertTrue(d.state.showDetails, "still on for when the terminal grows")
        d.send(.resize(width: 120, height: 30))
        d.keys(.tab)
        XCTAssertFalse(d.state.showDetails)
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
        XCTAssertEqual(d.keys(.char("s")), [.measure(id: d.lastID, node: media)])
        d.send(.measured(id: d.lastID, node: media, MeasureState(objects: 1500, bytes: 3 << 20, finished: false)))
        XCTAssertTrue(d.text.contains("… 1,500 obj"), d.text)
        XCTAssertTrue(d.state.isBusy)
        d.send(.measured(id: d.lastID, node: media, MeasureState(objects: 2000, bytes: 4 << 20, finished: true)))
        XCTAssertTrue(d.text.contains("4.0 MiB"))
        XCTAssertFalse(d.state.isBusy)
    }

    func testErrorsStayInTheirNodeAndTheStatusLine() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["private/", "public/"])
        d.keys(.enter)
        let priv = NodeID(bucket: "site", prefix: "private/")
        d.send(.listingFinished(node: priv, token: d.token(priv)!,
                                error: BrowserError("access denied to s3://site/private/")))
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
        XCTAssertEqual(d.state.pages.count, 1, "back on the tree")
        XCTAssertEqual(d.keys(.ctrl("c")).last, .quit)
    }

    func testMouseSelectsAndOpens() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["a/", "b/"], objects: [obj("c")])
        d.send(.mouse(.click(row: 3, column: 5)))
        XCTAssertEqual(d.state.cursor, 2)
        let e = d.send(.mouse(.doubleClick(row: 2, column: 5)))
        XCTAssertTrue(e.contains(.list(node: NodeID(bucket: "site", prefix: "b/"),
                                       token: d.token(NodeID(bucket: "site", prefix: "b/"))!)))
    }

    func testRefreshAndOperationsRelistWithoutStaleRows() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"], objects: [obj("a"), obj("b"), obj("c")])
        d.keys(.end)
        let e = d.keys(.char("r"))
        XCTAssertTrue(e.contains { if case .list(let n, _) = $0 { return n == site }; return false })
        XCTAssertTrue(d.text.contains("loading"))
        d.answer(site, objects: [obj("a")])
        XCTAssertEqual(d.state.entryRowCount, 1)
        // A finished delete lists its levels again, with the cursor on a row that vanished.
        d.keys(.end, .char("d"))
        d.send(.deletePlanned(id: d.lastID, .success(DeletePreview(planID: 7, bucket: "site", count: 1,
                                                                   lines: ["1 object"], confirmWord: nil))))
        XCTAssertTrue(d.text.contains("Delete from s3://site/"))
        XCTAssertEqual(d.keys(.char("y")), [.executeDelete(id: d.lastID, planID: 7)])
        let after = d.send(.operationFinished(id: d.lastID, OperationReport(title: "deleted 1 of 1 objects", lines: [],
                                                                            failed: 0), refresh: [site]))
        XCTAssertTrue(after.contains { if case .list = $0 { return true }; return false })
        XCTAssertTrue(d.text.contains("deleted 1 of 1"))
    }

    func testTypedConfirmationIsRequiredForPrefixes() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"])
        XCTAssertEqual(d.keys(.char("d")), [.planDelete(id: d.lastID, bucket: "site", keys: [], prefixes: ["media/"])])
        d.send(.deletePlanned(id: d.lastID, .success(DeletePreview(planID: 3, bucket: "site", count: 500,
            lines: ["500 objects"], confirmWord: "s3://site/media/"))))
        XCTAssertEqual(d.keys(.char("y"), .enter), [], "y is not enough")
        d.keys(.ctrl("u"))
        for _ in 0..<2 { d.keys(.backspace) }
        d.type("s3://site/media/")
        XCTAssertEqual(d.keys(.enter), [.executeDelete(id: d.lastID, planID: 3)])
    }

    func testEditFormBuildsTheRequestAndAuditMarksMatches() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a.css")])
        d.keys(.char("e"))
        d.type("public, max-age=60")
        d.keys(.down, .down)
        d.type("-")
        d.keys(.down, .down, .down, .down)
        d.type("team=web, -old")
        let e = d.keys(.enter)
        XCTAssertEqual(e, [.planEdit(id: d.lastID, bucket: "site", keys: ["a.css"], prefixes: [],
                                     changes(set: [.cacheControl: "public, max-age=60"], remove: [.contentEncoding],
                                             meta: ["team": "web"], removeMeta: ["old"]))])
        var a = Driver(bucket: "site")
        a.answer(site, prefixes: ["static/"])
        XCTAssertEqual(a.keys(.char("a")), [.audit(id: a.lastID, bucket: "site", prefix: "static/")])
        a.send(.auditRows(id: a.lastID, [
            AuditEntry(key: "static/a.css", size: 1, modified: 0, contentType: "text/css",
                       cacheControl: nil, contentEncoding: nil),
            AuditEntry(key: "static/b.css", size: 1, modified: 0, contentType: "text/css",
                       cacheControl: "max-age=31536000", contentEncoding: "gzip"),
        ]))
        a.send(.auditFinished(id: a.lastID, error: nil))
        a.keys(.char("1"), .char("m"))
        XCTAssertEqual(a.state.marks.keys.map(\.key), ["static/a.css"])
        XCTAssertTrue(a.text.contains("(none)"))
    }

    func testCopyAsksForAnS3DestinationAndKeepsAskingUntilItIsOne() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["static/"], objects: [obj("robots.txt")])
        d.keys(.char(" "), .down, .char(" "))
        d.keys(.char("c"))
        XCTAssertTrue(d.text.contains("copy 2 items to: s3://site/"), d.text)
        XCTAssertEqual(d.keys(.tab), [], "no local completion for an s3:// destination")
        d.keys(.ctrl("u"))
        d.type("backup/")
        XCTAssertEqual(d.keys(.enter), [])
        XCTAssertTrue(d.text.contains("type the destination as s3://bucket/prefix/"), d.text)
        XCTAssertTrue(d.text.contains("copy 2 items to: backup/"), "still asking, with what was typed")
        XCTAssertFalse(d.text.contains("Tab"), "no completion offered")
        d.keys(.ctrl("u"))
        d.type("s3://archive/site")
        XCTAssertEqual(d.keys(.enter), [.copyObjects(id: d.lastID, bucket: "site", keys: ["robots.txt"],
                                                     prefixes: ["static/"],
                                                      toBucket: "archive", toPrefix: "site/")])
        XCTAssertTrue(d.state.isBusy)
        let row = TransferRow(id: 0, direction: .copy, name: "s3://archive/site/robots.txt", size: 10, transferred: 10,
                              state: .done, rate: 0)
        d.send(.transfersUpdated([row]))
        d.keys(.char("t"))
        XCTAssertTrue(d.text.contains("⇒"), d.text)
    }

    func testPreviewOpensFullScreenScrollsAndCloses() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["static/"], objects: [obj("robots.txt")])
        d.answerDetails()  // the title is [busy] until the details debounce has fired and been answered
        d.keys(.down)
        XCTAssertEqual(d.keys(.char("p")), [], "a prefix has nothing to preview")
        XCTAssertTrue(d.text.contains("move to an object to preview it"))
        d.keys(.up)
        XCTAssertEqual(d.keys(.char("p")), [.preview(id: d.lastID, bucket: "site", key: "robots.txt")])
        XCTAssertTrue(d.state.isBusy)
        XCTAssertTrue(d.text.contains("reading…"))
        let lines = (1...50).map { "line \($0)" } + ["esc \u{1B}[31m here"]
        d.send(.previewed(id: d.lastID, bucket: "site", key: "robots.txt", .success(ObjectPreview(lines: lines,
                                                                                                  note: "text"))))
        XCTAssertFalse(d.state.isBusy)
        XCTAssertTrue(d.text.contains("s3://site/robots.txt  (text)") && d.text.contains("line 1"), d.text)
        d.keys(.pageDown)
        XCTAssertFalse(d.text.contains("line 1 "))
        d.keys(.end)
        XCTAssertTrue(d.text.contains("esc \\x1b[31m here"), "control characters escaped")
        d.keys(.escape)
        XCTAssertEqual(d.state.pages.count, 1, "back on the tree")
        // The note line can carry the server's words: escaped as well.
        d.keys(.char("p"))
        d.send(.previewed(id: d.lastID, bucket: "site", key: "robots.txt",
                          .failure(BrowserError("Access \u{1B}[31mDenied"))))
        XCTAssertTrue(d.text.contains("could not read it: Access \\x1b[31mDenied"), d.text)
        XCTAssertFalse(d.text.contains("\u{1B}"))
    }

    func testARequestedUploadIsBusyUntilItsTransfersFinish() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["in/"])
        d.keys(.char("U"))
        d.type("/tmp/x")
        XCTAssertEqual(d.keys(.enter), [.upload(id: d.lastID, paths: ["/tmp/x"], bucket: "site", prefix: "in/")])
        XCTAssertTrue(d.state.isBusy, "busy before the engine has the batch")
        let running = TransferRow(id: 0, direction: .upload, name: "s3://site/in/x", size: 10, transferred: 0,
                                  state: .running, rate: 0)
        d.send(.transfersUpdated([running]))
        d.send(.transfersQueued(id: d.lastID))
        XCTAssertTrue(d.state.isBusy, "busy while it runs")
        var done = running
        done.state = .done
        d.send(.transfersUpdated([done]))
        XCTAssertFalse(d.state.isBusy)
    }

    func testKeymapIsTheOneSourceOfHelpAndFooter() {
        var seen = Set<Key>()
        for b in TreePage.keymap + Keymap.globals(typing: false) {
            for k in b.keys { XCTAssertTrue(seen.insert(k).inserted, "\(k) bound twice") }
        }
        let wide = Driver(bucket: "site", width: 120, height: 30)
        for b in TreePage.keymap where b.footer != nil { XCTAssertTrue(wide.text.contains(b.footer!), b.footer!) }
        let narrow = Driver(bucket: "site", width: 40, height: 10).text
        XCTAssertTrue(narrow.contains("? help") && narrow.contains("q quit"), narrow)
    }
}
