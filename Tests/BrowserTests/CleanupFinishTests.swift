import Foundation
import Operations
import XCTest
@testable import Browser

/// What the browser shows of a measure's storage classes, the count of a bucket's uploads
/// when it opens, and ^C on a page whose scan runs.
final class CleanupFinishTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")
    let media = NodeID(bucket: "site", prefix: "media/")

    func row(_ text: String, _ name: String) -> String {
        text.split(separator: "\n").first { $0.contains(name) }.map(String.init) ?? ""
    }

    // MARK: Storage classes in the measure

    func testAMeasuredPrefixShowsItsStorageClassesInTheColumnAndTheDetails() {
        var d = Driver(bucket: "site", width: 100, height: 30)
        d.answer(site, prefixes: ["media/", "static/"])
        d.keys(.char("s"))
        let classes = [PrefixUsage.ClassRow(storageClass: "STANDARD", bytes: 3 << 20, objects: 2),
                       PrefixUsage.ClassRow(storageClass: "GLACIER", bytes: 1 << 20, objects: 1)]
        d.send(.measured(id: d.lastID, node: media,
                         MeasureState(objects: 3, bytes: 4 << 20, finished: true, classes: classes)))
        XCTAssertTrue(row(d.text, "media/").hasSuffix("mixed"), d.text)
        XCTAssertTrue(d.text.contains("STANDARD 3.0 MiB (75%), 2 objects"), d.text)
        XCTAssertTrue(d.text.contains("GLACIER  1.0 MiB (25%), 1 object"), d.text)
        // One class: its label, as objects show it.
        d.keys(.char("j"), .char("s"))
        let static_ = NodeID(bucket: "site", prefix: "static/")
        d.send(.measured(id: d.lastID, node: static_, MeasureState(objects: 1, bytes: 10, finished: true, classes: [
            PrefixUsage.ClassRow(storageClass: PrefixUsage.unknownClass, bytes: 10, objects: 1)])))
        XCTAssertTrue(row(d.text, "static/").hasSuffix("STD"), d.text)
        XCTAssertTrue(row(d.text, "media/").hasSuffix("mixed"), d.text)
    }

    // MARK: Uploads counted when a bucket opens

    func testABucketOpenedIsCountedOnceAndTheTitleSaysSoWhenThereAreAny() {
        var d = Driver(bucket: "site", width: 100, height: 30)
        d.answersUploadCounts = false
        let first = d.answerCounting(site, prefixes: ["media/"])
        XCTAssertEqual(first, [.countUploads(id: d.countID, bucket: "site")])
        // [idle] says every call has answered: scripts and tests wait on it.
        XCTAssertTrue(d.state.isBusy, "the count holds [busy] until it answers")
        d.send(.uploadsCounted(id: d.countID, bucket: "site", .success(UploadTotal(count: 3, bytes: 3 << 20))))
        XCTAssertFalse(d.state.isBusy, "answered")
        XCTAssertTrue(row(d.text, "pail").contains("s3://site/  · 3 incomplete uploads, 3.0 MiB (M)"), d.text)
        // Listed again: not counted again (M lists them afresh).
        XCTAssertEqual(d.state.countUploadsOnce(site), [])
        XCTAssertEqual(d.state.countUploadsOnce(media), [], "only a bucket's root")
        // An answer nothing asked for (another profile's bucket) is dropped.
        d.send(.uploadsCounted(id: RequestID(0), bucket: "logs", .success(UploadTotal(count: 1, bytes: 1))))
        XCTAssertNil(d.state.uploadTotals["logs"])
    }

    func testANarrowTitleShortensTheNoteRatherThanCuttingThePath() {
        var d = Driver(bucket: "site", width: 60, height: 20)
        d.answersUploadCounts = false
        d.answer(site, prefixes: ["media/"])
        d.send(.uploadsCounted(id: d.countID, bucket: "site", .success(UploadTotal(count: 3, bytes: 3 << 20))))
        XCTAssertTrue(row(d.text, "pail").hasPrefix(" pail  s3://site/  · 3 uploads (M) "), d.text)
        d.send(.resize(width: 50, height: 20))
        XCTAssertTrue(row(d.text, "pail").hasPrefix(" pail  s3://site/ "), d.text)
        XCTAssertFalse(row(d.text, "pail").contains("upload"), d.text)
    }

    func testNoUploadsOrAFailureLeaveTheTitleAlone() {
        var d = Driver(bucket: "site", width: 100, height: 30)
        d.answersUploadCounts = false
        d.answer(site, prefixes: ["media/"])
        d.send(.uploadsCounted(id: d.countID, bucket: "site", .success(UploadTotal(count: 0, bytes: 0))))
        XCTAssertFalse(row(d.text, "pail").contains("upload"), d.text)
        var e = Driver(bucket: "site", width: 100, height: 30)
        e.answersUploadCounts = false
        e.answer(site, prefixes: ["media/"])
        e.send(.uploadsCounted(id: e.countID, bucket: "site", .failure(BrowserError("AccessDenied: no"))))
        XCTAssertFalse(row(e.text, "pail").contains("upload"), e.text)
        XCTAssertNil(e.state.status)
        XCTAssertEqual(e.state.uploadTotals["site"]?.error, "AccessDenied: no")
    }

    func testTheUploadTotalsText() {
        XCTAssertEqual(UploadTotal(count: 1, bytes: 2048).text, "1 incomplete upload, 2.0 KiB")
        XCTAssertEqual(UploadTotal(count: 1000, atLeast: true, bytes: nil).text,
                       "1,000 or more incomplete uploads, size on M")
    }

    // MARK: ^C on a running find

    func startFind(_ d: inout Driver) -> RequestID? {
        d.answer(site, prefixes: ["media/"])
        d.keys(.char("F"))
        d.type("*.jpg")
        let effects = d.keys(.enter)
        guard case .cleanupScan(let id, "site", "media/", _)? = effects.first else {
            XCTFail("\(effects)")
            return nil
        }
        d.send(.cleanupFound(id: id, scanned: 5, rows: [CleanupRow(key: "media/a.jpg", size: 1, modified: 0)]))
        return id
    }

    func testCtrlCStopsARunningFindKeepsWhatWasFoundAndASecondQuits() throws {
        var d = Driver(bucket: "site", width: 100, height: 30)
        guard let id = startFind(&d) else { return }
        XCTAssertEqual(d.keys(.ctrl("c")), [.cancelCleanupScan(id: id)])
        XCTAssertTrue(d.state.topPage is FindPage, "the results stay")
        d.send(.cleanupFinished(id: id, error: nil))
        XCTAssertTrue(d.text.contains("5 scanned, 1 matched  (stopped)"), d.text)
        XCTAssertTrue(d.text.contains("  a.jpg  "), d.text)
        // Nothing runs now: ^C quits as everywhere.
        XCTAssertEqual(d.keys(.ctrl("c")).last, .quit)
    }

    func testASecondCtrlCWhileTheFindStopsQuits() throws {
        var d = Driver(bucket: "site", width: 100, height: 30)
        guard let id = startFind(&d) else { return }
        XCTAssertEqual(d.keys(.ctrl("c")), [.cancelCleanupScan(id: id)])
        XCTAssertTrue(d.state.isOpen(id), "not answered yet")
        XCTAssertEqual(d.keys(.ctrl("c")).last, .quit)
    }

    func testCtrlCStopsTheDuplicatesScanToo() throws {
        var d = Driver(bucket: "site", width: 100, height: 30)
        d.answer(site, prefixes: ["media/"])
        let effects = d.keys(.char("="))
        guard case .cleanupScan(let id, _, _, _)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(d.keys(.ctrl("c")), [.cancelCleanupScan(id: id)])
        XCTAssertTrue(d.state.topPage is DuplicatesPage)
    }

    func testCtrlCOnTheTreeStillQuits() {
        var d = Driver(bucket: "site", width: 100, height: 30)
        d.answer(site, prefixes: ["media/"])
        XCTAssertEqual(d.keys(.ctrl("c")).last, .quit)
    }

    /// `?` is typed text on the find prompt: an empty prompt's footer says where the
    /// criteria are explained, with an example; typing makes room.
    func testAnEmptyFindPromptPointsToItsCriteria() {
        let (state, _) = BrowserState.start(bucket: "site", prefix: "", width: 80, height: 24)
        let empty = FindPromptPage(bucket: "site", prefix: "media/")
        XCTAssertTrue(empty.footer(state).contains(FooterItem("F1", "criteria (*.jpg --larger 1M --older 30d)")))
        let typed = FindPromptPage(bucket: "site", prefix: "media/", text: LineEditor("*.jpg"))
        XCTAssertFalse(typed.footer(state).contains { $0.keys == "F1" })
    }
}

extension Driver {
    /// `answer`, returning the effects that finishing the listing asked for.
    /// The request of the latest uploads count asked.
    var countID: RequestID {
        for e in effects.reversed() { if case .countUploads(let id, _) = e { return id } }
        return RequestID(0)
    }

    mutating func answerCounting(_ node: NodeID, prefixes: [String]) -> [BrowserEffect] {
        guard let t = token(node) else {
            XCTFail("no listing asked for \(node)")
            return []
        }
        send(.listed(node: node, token: t, prefixes: prefixes, objects: []))
        return send(.listingFinished(node: node, token: t, error: nil))
    }
}
