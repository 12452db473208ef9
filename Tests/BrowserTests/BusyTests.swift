import XCTest
import Operations
@testable import Browser

/// Busy is the set of requests asked and not answered: each answer closes its own request,
/// never another one, and the loading marks read the same set.
final class BusyTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")
    let media = NodeID(bucket: "site", prefix: "media/")

    func testAnAnswerClosesItsOwnRequestOnly() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a")])
        d.answerDetails()  // the title is [busy] until the details debounce has fired and been answered
        d.keys(.char("y"))
        let urls = d.lastID
        d.send(.urlsBuilt(id: urls, bucket: "site", key: "a", [URLChoice(label: "presigned …", url: nil,
                                                                           asksLifetime: true)]))
        d.keys(.enter)
        d.type("1h")
        d.keys(.enter)
        let presign = d.lastID
        XCTAssertEqual(d.state.openRequestIDs, [presign])
        // An answer nothing open asked for (a duplicate, a stale one) leaves the request open.
        d.send(.presignedReady(id: urls, .failure(BrowserError("late"))))
        XCTAssertTrue(d.state.isBusy, "the presign is still out")
        XCTAssertTrue(d.text.contains("[busy]"))
        d.send(.presignedReady(id: presign, .failure(BrowserError("no credentials"))))
        XCTAssertFalse(d.state.isBusy)
        XCTAssertTrue(d.text.contains("[idle]"))
    }

    func testAMeasureStartedAgainIgnoresTheCancelledOnesLastCount() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"])
        d.keys(.char("s"))
        let first = d.lastID
        XCTAssertEqual(d.keys(.char("s")).first, .cancelMeasure(node: media))
        let second = d.lastID
        XCTAssertNotEqual(first, second)
        d.send(.measured(id: first, node: media, MeasureState(objects: 1, bytes: 1, finished: true)))
        XCTAssertTrue(d.state.isBusy, "the second measure still runs")
        XCTAssertEqual(d.state.measures[media]?.finished, false, "the cancelled count is not shown")
        d.send(.measured(id: second, node: media, MeasureState(objects: 5, bytes: 50, finished: true)))
        XCTAssertFalse(d.state.isBusy)
        XCTAssertEqual(d.state.measures[media]?.objects, 5)
    }

    func testLoadingMarksComeFromTheOpenRequests() {
        var d = Driver(bucket: "site", width: 80, height: 24)
        d.answer(site, objects: [obj("a")])
        d.answerDetails()  // the title is [busy] until the details debounce has fired and been answered
        d.keys(.char("y"))
        XCTAssertTrue(d.text.contains("building URLs…"), d.text)
        d.send(.urlsBuilt(id: d.lastID, bucket: "site", key: "a", []))
        XCTAssertFalse(d.text.contains("building URLs…"), "answered, even with nothing: no longer loading")
        XCTAssertFalse(d.state.isBusy)
        d.keys(.escape, .char("p"))
        XCTAssertTrue(d.text.contains("(reading…)"), d.text)
        d.send(.previewed(id: RequestID(0), bucket: "site", key: "a", .failure(BrowserError("stale"))))
        XCTAssertTrue(d.text.contains("(reading…)"), "an answer to another request is not this page's")
        d.send(.previewed(id: d.lastID, bucket: "site", key: "a", .success(ObjectPreview(lines: ["x"], note: "text"))))
        XCTAssertTrue(d.text.contains("(text)"), d.text)
        XCTAssertFalse(d.state.isBusy)
    }

    func testTheDetailsDebounceHoldsBusyUntilItsTimerHasAskedTheHead() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a"), obj("b")])
        d.keys(.down)
        // Nothing asked yet, but b's HEAD is as good as asked: [idle] now would let a script or
        // a test take the screen as final before the details pane's calls have even started.
        XCTAssertTrue(d.state.isBusy, "b's HEAD waits for its debounce")
        XCTAssertTrue(d.text.contains("[busy]"), d.text)
        XCTAssertEqual(d.send(.headTimerFired(bucket: "site", key: "a")), [], "a's timer, from the listing")
        XCTAssertTrue(d.state.isBusy, "b's timer has not fired yet")
        for effect in d.send(.headTimerFired(bucket: "site", key: "b")) {
            switch effect {
            case .head(let id, let bucket, let key):
                d.send(.headed(id: id, bucket: bucket, key: key, .success([DetailRow("Cache-Control", "no-cache")])))
            case .probePublic(let id, let bucket, let key):
                d.send(.publicProbed(id: id, bucket: bucket, key: key, PublicAccess(.no, "no")))
            default:
                XCTFail("unexpected \(effect)")
            }
        }
        XCTAssertFalse(d.state.isBusy)
        XCTAssertTrue(d.text.contains("[idle]") && d.text.contains("no-cache"), d.text)
    }
}
