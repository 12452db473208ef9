import XCTest
@testable import Browser
import Operations

/// The everyday path: where the next key lands after the screen changes under it.
final class EverydayTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")
    let photos = NodeID(bucket: "site", prefix: "photos/")

    func testTheCursorStaysOnItsEntryOrTheNextOneAfterARelisting() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["05/", "photos/"], objects: [])
        d.keys(.down, .enter)
        d.answer(photos, objects: [obj("p-001.jpg"), obj("p-002.jpg"), obj("p-003.jpg"), obj("p-004.jpg")])
        // On p-003; p-002 is deleted (marked from elsewhere): the cursor stays on p-003.
        d.keys(.down, .down, .down)
        XCTAssertEqual(d.state.cursorEntry?.key, "photos/p-003.jpg")
        d.send(.operationFinished(id: d.lastID, OperationReport(title: "deleted 1 of 1 objects", lines: [], failed: 0),
                                  refresh: [photos]))
        XCTAssertNil(d.state.cursorEntry, "waits on the level's loading line, on no other entry")
        d.answer(photos, objects: [obj("p-001.jpg"), obj("p-003.jpg"), obj("p-004.jpg")])
        XCTAssertEqual(d.state.cursorEntry?.key, "photos/p-003.jpg")
        // The entry under the cursor itself deleted: the next one takes its place.
        d.send(.operationFinished(id: d.lastID, OperationReport(title: "deleted 1 of 1 objects", lines: [], failed: 0),
                                  refresh: [photos]))
        d.answer(photos, objects: [obj("p-001.jpg"), obj("p-004.jpg")])
        XCTAssertEqual(d.state.cursorEntry?.key, "photos/p-004.jpg")
        // The last one deleted: the one before it.
        d.send(.operationFinished(id: d.lastID, OperationReport(title: "deleted 1 of 1 objects", lines: [], failed: 0),
                                  refresh: [photos]))
        d.answer(photos, objects: [obj("p-001.jpg")])
        XCTAssertEqual(d.state.cursorEntry?.key, "photos/p-001.jpg")
    }

    func testAnUploadOrRefreshKeepsTheCursorOnThePrefixItWasOn() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["css/", "img/", "js/"], objects: [obj("index.html")])
        d.keys(.down)
        XCTAssertEqual(d.state.cursorEntry?.key, "img/")
        // An upload into the bucket's top level (a new object before the cursor) relists it.
        d.send(.uploaded(site))
        d.answer(site, prefixes: ["css/", "img/", "js/"], objects: [obj("a.txt"), obj("index.html")])
        XCTAssertEqual(d.state.cursorEntry?.key, "img/")
        // Pages arrive one by one: the cursor does not stop on the row number it had.
        d.keys(.char("r"))
        let t = d.token(site)!
        d.send(.listed(node: site, token: t, prefixes: ["a/", "b/", "c/"], objects: []))
        XCTAssertNotEqual(d.state.cursorEntry?.key, "b/")
        d.send(.listed(node: site, token: t, prefixes: ["css/", "img/", "js/"], objects: []))
        d.send(.listingFinished(node: site, token: t, error: nil))
        XCTAssertEqual(d.state.cursorEntry?.key, "img/")
        XCTAssertEqual(d.keys(.char("U")), [.describeUploadRules(bucket: "site")])
        guard case .upload(_, let prefix)? = d.state.page(PathPromptPage.self)?.purpose else {
            return XCTFail("\(d.state.topPage)")
        }
        XCTAssertEqual(prefix, "img/", "the next U targets the prefix the cursor was on")
    }

    func testKeysTypedBeforeADangerousQuestionWasDrawnAreNotItsAnswer() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a"), obj("b")])
        d.keys(.char("d"))
        // The plan and the next keys arrive in one turn of the run loop, before a frame.
        var s = d.state
        _ = s.reduce(.deletePlanned(id: RequestID(0), .success(DeletePreview(planID: 4, bucket: "site", count: 1,
                                                                             lines: ["1 object"],
                                                              confirmWord: nil))))
        XCTAssertEqual(s.reduce(.key(.char("y"))), [], "a y typed ahead deletes nothing")
        XCTAssertNotNil(s.page(DeleteConfirmationPage.self), "the question stays open: \(s.topPage)")
        XCTAssertEqual(s.keysDroppedBeforeQuestion, 1)
        XCTAssertEqual(s.inputsSeen, d.state.inputsSeen + 1, "dropped keys are still counted")
        s.framePresented()
        let answer = s.reduce(.key(.char("y")))
        XCTAssertEqual(answer, [.executeDelete(id: lastRequest(in: answer), planID: 4)],
                       "a key typed after it was drawn answers")

        // The overwrite question of a download: s (skip) from a word being typed is dropped.
        var t = d.state
        _ = t.reduce(.downloadConflicts(batchID: 2, count: 3, example: "a"))
        for c in "sco" { XCTAssertEqual(t.reduce(.key(.char(c))), []) }
        XCTAssertNotNil(t.page(ConflictPromptPage.self), "\(t.topPage)")
        t.framePresented()
        let skip = t.reduce(.key(.char("s")))
        XCTAssertEqual(skip, [.resolveConflicts(id: lastRequest(in: skip), batchID: 2, overwrite: false)])

        // Quitting with transfers running: a y typed ahead does not quit.
        var q = d.state
        _ = q.reduce(.transfersUpdated([TransferRow(id: 1, direction: .upload, name: "s3://site/a", size: 1,
                                                    transferred: 0,
                                                    state: .running, rate: 0)]))
        q.framePresented()
        _ = q.reduce(.key(.char("q")))
        XCTAssertEqual(q.reduce(.key(.char("y"))), [])
        q.framePresented()
        XCTAssertEqual(q.reduce(.key(.char("y"))), [.quit])
    }

    func testHFromTheTopOfABucketOpenedAtAPrefixGoesUpToTheBucketList() {
        var d = Driver(bucket: "site", prefix: "static/")
        d.answer(site, prefixes: ["media/", "static/"])
        d.answer(NodeID(bucket: "site", prefix: "static/"), objects: [obj("a.css")])
        d.keys(.down)
        XCTAssertEqual(d.state.cursorEntry?.key, "static/a.css")
        d.keys(.char("h"))
        XCTAssertEqual(d.state.cursorEntry?.key, "static/")
        d.keys(.char("h"))  // collapses static/
        d.keys(.char("h"))  // the bucket's top level: up to the bucket list
        XCTAssertTrue(d.effects.contains(.listBuckets))
        XCTAssertEqual(d.state.root, .bucketList)
        XCTAssertEqual(d.state.cursorEntry, MarkedEntry(bucket: "site", key: "", isPrefix: true))
        d.send(.bucketsListed(.success([.bucket(name: "logs", created: 0), .bucket(name: "site", created: 0)])))
        d.answerDetails()
        XCTAssertEqual(d.state.cursorEntry, MarkedEntry(bucket: "site", key: "", isPrefix: true))
        XCTAssertFalse(d.state.isBusy)
        XCTAssertTrue(d.text.contains("logs"))
        XCTAssertTrue(d.text.contains("media/"), "the bucket stays open under its row")
        // Jumping to another bucket is allowed now.
        d.keys(.char("g"))
        d.type("s3://logs/")
        let listsLogs = d.keys(.enter).contains {
            if case .list(let n, _) = $0 { return n.bucket == "logs" }
            return false
        }
        XCTAssertTrue(listsLogs)
    }

    func testABadCacheControlKeepsTheFormOpenAsTypedWithItsColumn() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("app.js")])
        d.keys(.char("e"))
        d.type("max-age=3153600O")
        XCTAssertEqual(d.keys(.enter), [], "nothing is planned")
        guard let form = d.state.page(HeaderFormPage.self)?.form else { return XCTFail("the form stays open") }
        XCTAssertEqual(form.values[0], "max-age=3153600O", "with what was typed")
        XCTAssertEqual(d.state.status?.text,
                       "Cache-Control: max-age needs a whole number of seconds, and \"O\" is not a digit at column 16")
        // Fixed in place (the line editor), then a Content-Type that does not match .js.
        d.keys(.backspace)
        d.type("0")
        d.keys(.down)
        d.type("text/javascirpt")
        XCTAssertEqual(d.keys(.enter), [], "asks first")
        let asks = "does not match app.js (text/javascript): Enter again sends it anyway"
        XCTAssertTrue(d.state.status!.text.contains(asks),
                      d.state.status!.text)
        XCTAssertEqual(d.keys(.enter), [.planEdit(id: d.lastID, bucket: "site", keys: ["app.js"], prefixes: [],
                                                   changes(set: [.cacheControl: "max-age=31536000",
                                                                 .contentType: "text/javascirpt"]))])
        // A malformed type is refused outright.
        d.keys(.char("e"), .down)
        d.type("text")
        XCTAssertEqual(d.keys(.enter), [])
        XCTAssertTrue(d.state.status!.text.hasPrefix("Content-Type: expected \"/\" at column 5"), d.state.status!.text)
    }

    func testTheEditPreviewShowsValuesInFullAndSaysWhatItsKeysDo() {
        var d = Driver(bucket: "site", width: 80, height: 24)
        d.answer(site, objects: [obj("a.css")])
        let long = "public, max-age=86400, s-maxage=86400, stale-while-revalidate=60, stale-if-error=86400"
        d.send(.editPlanned(id: d.lastID, .success(EditPreview(planID: 1, total: 1, changing: 1, lines: [
            "1 object: 1 will change, 0 already right (skipped)", "", "Cache-Control:",
            ReportLine("   before (1 object): " + long.replacingOccurrences(of: "86400", with: "36400")),
            ReportLine("   after (1 change): " + long)]))))
        let text = d.text
        XCTAssertTrue(text.contains("y or Enter applies the change, any other key cancels"), text)
        // The wrapped value's end is on screen: stale-if-error=86400 after, =36400 before.
        let joined = text.split(separator: "\n")
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "│ ")) }.joined()
        XCTAssertTrue(joined.contains("stale-if-error=86400"), text)
        XCTAssertTrue(joined.contains("stale-if-error=36400"), text)
        XCTAssertEqual(d.keys(.enter), [.executeEdit(id: d.lastID, planID: 1)])
    }

    func testTheDetailsPaneAsksForAnObjectThatNewRowsPutUnderTheCursor() {
        let css = NodeID(bucket: "site", prefix: "static/css/")
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["static/"])
        d.keys(.char("g"))
        d.type("static/css/")
        d.keys(.enter)
        d.answer(NodeID(bucket: "site", prefix: "static/"), prefixes: ["css/"])
        XCTAssertEqual(d.state.cursorEntry?.key, "static/css/")
        d.keys(.char("j"))  // at once: onto css/'s loading line
        XCTAssertNil(d.state.cursorEntry)
        let t = d.token(css)!
        let e = d.send(.listed(node: css, token: t, prefixes: [], objects: [obj("a.css"), obj("b.css")]))
            + d.send(.listingFinished(node: css, token: t, error: nil))
        XCTAssertEqual(d.state.cursorEntry?.key, "static/css/a.css")
        XCTAssertTrue(e.contains(.timer(seconds: BrowserState.headDelay, event: .head(bucket: "site",
                                                                                      key: "static/css/a.css"))),
                      "the headers of the object now under the cursor are asked for: \(e)")
    }

    func testMessagesAboutFinishedWorkExpireButErrorsStay() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a"), obj("b")])
        let e = d.send(.operationFinished(id: d.lastID, OperationReport(title: "deleted 1 of 1 objects", lines: [],
                                                                        failed: 0), refresh: []))
        guard let timer = e.compactMap({ effect -> TimerEvent? in
            if case .timer(BrowserState.statusLifetime, let t) = effect { return t }; return nil }).first else {
            return XCTFail("no expiry asked: \(e)")
        }
        XCTAssertEqual(d.state.status?.text, "deleted 1 of 1 objects")
        d.send(timer.event)
        XCTAssertNil(d.state.status)
        // A timer of an older message leaves a newer one alone; failures are not timed.
        let copied = d.send(.copied(text: "s3://site/a", via: "OSC 52"))
        d.send(.notice("a newer problem"))
        for effect in copied { if case .timer(_, let t) = effect { d.send(t.event) } }
        XCTAssertEqual(d.state.status?.text, "a newer problem")
        let failed = d.send(.operationFinished(id: d.lastID, OperationReport(title: "deleted 0 of 1 objects",
                                                                             lines: [], failed: 1), refresh: []))
        XCTAssertFalse(failed.contains { if case .timer(_, .expireStatus) = $0 { return true }; return false })
    }

    func testABadJumpOrLifetimeKeepsThePromptOpenAsTyped() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a")])
        d.keys(.char("g"))
        d.type("s3://")
        XCTAssertEqual(d.keys(.enter), [])
        XCTAssertEqual(d.state.page(JumpPage.self)?.text, "s3://")
        XCTAssertTrue(d.text.contains("jump needs a bucket here"), d.text)
        d.keys(.escape)
        // Another bucket: the tree grows the bucket list above this one.
        d.keys(.char("g"))
        d.type("s3://other/x/")
        XCTAssertTrue(d.keys(.enter).contains(.listBuckets))
        XCTAssertEqual(d.state.root, .bucketList)
        d.send(.bucketsListed(.success([.bucket(name: "other", created: 0), .bucket(name: "site", created: 0)])))
        d.answer(NodeID(bucket: "other", prefix: ""), prefixes: ["x/"])
        XCTAssertEqual(d.state.cursorEntry?.key, "x/")
        XCTAssertEqual(d.state.cursorEntry?.bucket, "other")
        d.keys(.char("g"))
        d.type("s3://site/")
        d.keys(.enter, .down)
        XCTAssertEqual(d.state.cursorEntry, MarkedEntry(bucket: "site", key: "a", isPrefix: false))
        d.keys(.char("y"))
        d.send(.urlsBuilt(id: d.lastID, bucket: "site", key: "a", [URLChoice(label: "presigned …", url: nil,
                                                                             asksLifetime: true)]))
        d.keys(.enter)
        d.type("2x")
        XCTAssertEqual(d.keys(.enter), [], "nothing is signed")
        XCTAssertEqual(d.state.page(PresignPromptPage.self)?.text, "2x")
        XCTAssertTrue(d.text.contains("is not a duration"), d.text)
        d.keys(.backspace)
        d.type("h")
        XCTAssertEqual(d.keys(.enter), [.presign(id: d.lastID, bucket: "site", key: "a", lifetime: "2h")])
    }

    func testMarkedPrefixesWithoutASizeAreSaidSo() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"], objects: [obj("a", 1024)])
        d.keys(.char(" "), .char(" "))
        XCTAssertTrue(d.text.contains("2 marked (1.0 KiB + 1 prefix)"), d.text)
    }

    /// `pail s3://site/static/css/print.css` selects the object once its level is listed: the
    /// details pane asks for its headers rather than saying "loading headers…" with nothing asked.
    func testStartingAtAnObjectAsksForItsHeaders() {
        let stat = NodeID(bucket: "site", prefix: "static/")
        let css = NodeID(bucket: "site", prefix: "static/css/")
        var d = Driver(bucket: "site", prefix: "static/css/print.css")
        var e: [BrowserEffect] = []
        // In the order a real server's answers came: the deepest level first, the top last.
        e += d.send(.listed(node: site, token: d.token(site)!, prefixes: ["media/", "static/"],
                            objects: [obj("robots.txt")]))
        e += d.send(.listed(node: css, token: d.token(css)!, prefixes: [],
                            objects: [obj("admin.css"), obj("print.css"), obj("site.css")]))
        e += d.send(.listingFinished(node: css, token: d.token(css)!, error: nil))
        e += d.send(.listed(node: stat, token: d.token(stat)!, prefixes: ["admin/", "css/", "fonts/"], objects: []))
        e += d.send(.listingFinished(node: stat, token: d.token(stat)!, error: nil))
        e += d.send(.listingFinished(node: site, token: d.token(site)!, error: nil))
        XCTAssertEqual(d.state.cursorEntry?.key, "static/css/print.css")
        XCTAssertTrue(e.contains(.timer(seconds: BrowserState.headDelay, event: .head(bucket: "site",
                                                                                      key: "static/css/print.css"))),
                      "the headers of the object the cursor starts on are asked for: \(e)")
    }

    /// As the run loop reduces them: a level's page and its end in one frame, settled once.
    func testStartingAtAnObjectAsksForItsHeadersWhenPageAndEndComeInOneFrame() {
        var d = Driver(bucket: "site", prefix: "robots.txt")
        let t = d.token(site)!
        var e = d.state.reduce(.listed(node: site, token: t, prefixes: ["media/"], objects: [obj("robots.txt")]))
        e += d.state.reduce(.listingFinished(node: site, token: t, error: nil))
        e += d.state.settle()
        XCTAssertEqual(d.state.cursorEntry?.key, "robots.txt")
        XCTAssertTrue(e.contains(.timer(seconds: BrowserState.headDelay, event: .head(bucket: "site",
                                                                                      key: "robots.txt"))),
                      "the headers of the object the cursor starts on are asked for: \(e)")
    }

    /// "refreshing s3://site/" is true while the level is listed again, and goes when it was.
    func testTheRefreshingMessageGoesWhenTheRefreshEnds() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a"), obj("b")])
        d.keys(.char("r"))
        XCTAssertEqual(d.state.status?.text, "refreshing s3://site/")
        d.answer(site, objects: [obj("a"), obj("b")], finish: false)
        XCTAssertEqual(d.state.status?.text, "refreshing s3://site/", "still under way")
        let t = d.token(site)!
        d.send(.listingFinished(node: site, token: t, error: nil))
        XCTAssertNil(d.state.status, d.text)
    }

    /// Sorted by size, a measured prefix takes its place among the objects by its total.
    func testSortingBySizeUsesMeasuredPrefixSizes() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["big/", "small/"], objects: [obj("mid.txt", 500)])
        d.keys(.char("o"))
        XCTAssertEqual(d.state.sort.key, .size)
        func names() -> [String] { d.state.rows.compactMap { d.state.child(of: $0)?.name } }
        XCTAssertEqual(names(), ["mid.txt", "big/", "small/"], "unmeasured prefixes go after every size")
        XCTAssertEqual(d.state.cursorEntry?.key, "big/")
        d.keys(.char("s"))  // measure big/
        let big = NodeID(bucket: "site", prefix: "big/")
        d.send(.measured(id: d.lastID, node: big, MeasureState(objects: 3, bytes: 9000, finished: true, error: nil)))
        XCTAssertEqual(names(), ["big/", "mid.txt", "small/"])
        XCTAssertEqual(d.state.cursorEntry?.key, "big/", "the cursor stays on its entry")
    }

    /// Measuring a prefix fills in its child prefixes' sizes from the same listing, and a
    /// level sorted by size takes them at once.
    func testMeasuringAPrefixFillsInItsChildPrefixesSizes() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"], objects: [])
        d.keys(.char("s"))  // measure media/
        let media = NodeID(bucket: "site", prefix: "media/")
        let a = NodeID(bucket: "site", prefix: "media/a/"), b = NodeID(bucket: "site", prefix: "media/b/")
        var m = MeasureState(objects: 4, bytes: 1300, finished: true, error: nil)
        m.children = [PrefixUsage.Row(name: "media/b/", bytes: 1000, objects: 1, direct: false),
                      PrefixUsage.Row(name: "media/a/", bytes: 200, objects: 2, direct: false)]
        d.send(.measured(id: d.lastID, node: media, m))
        XCTAssertEqual(d.state.measures[a], MeasureState(objects: 2, bytes: 200, finished: true))
        XCTAssertEqual(d.state.measures[b], MeasureState(objects: 1, bytes: 1000, finished: true))
        XCTAssertEqual(d.state.measures[media]?.bytes, 1300)
        XCTAssertEqual(d.state.measures[media]?.children, [], "not held twice")

        // Opened and sorted by size: b/ (1000 B) before a/ (200 B), without measuring either.
        d.keys(.right)
        d.answer(media, prefixes: ["a/", "b/"], objects: [])
        d.keys(.char("o"))
        let names = d.state.rows.compactMap { d.state.child(of: $0)?.name }
        XCTAssertEqual(Array(names.suffix(2)), ["b/", "a/"], "\(names)")
    }

    /// A copy into a prefix the tree does not have yet: the level it is a row of is listed
    /// again, so the new prefix shows up (and the cursor stays on its entry).
    func testACopyIntoANewPrefixListsTheLevelAboveIt() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["static/"], objects: [])
        d.keys(.right)
        let staticNode = NodeID(bucket: "site", prefix: "static/")
        d.answer(staticNode, objects: [obj("b.css", 1), obj("c.css", 1)])
        let effects = d.send(.uploaded(NodeID(bucket: "site", prefix: "static/a/")))
        XCTAssertTrue(effects.contains { if case .list(let n, _) = $0 { return n == staticNode }; return false },
                      "\(effects)")
    }
}
