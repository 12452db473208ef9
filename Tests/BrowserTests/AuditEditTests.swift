import XCTest
import Operations
@testable import Browser

/// Edits from the audit: hints from the audit's rows, ^R, back to the audit after applying
/// (read again) or cancelling (what was typed kept); every rule's state at 80 columns; Tab.
final class AuditEditTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")

    func audit(width: Int = 120, height: Int = 40) -> Driver {
        var d = Driver(bucket: "site", width: width, height: height)
        d.answer(site, prefixes: ["static/"])
        d.keys(.char("a"))
        d.send(.auditRows(id: d.lastID, [
            AuditEntry(key: "static/a.css", size: 1, modified: 0, contentType: "text/css",
                       cacheControl: "max-age=60", contentEncoding: nil),
            AuditEntry(key: "static/b.css", size: 1, modified: 0, contentType: "text/css",
                       cacheControl: "max-age=31536000", contentEncoding: "gzip"),
        ]))
        d.send(.auditFinished(id: d.lastID, error: nil))
        return d
    }

    func testTheMarkedObjectsValuesAreHintsAndCtrlRTakesASharedOne() {
        var d = audit()
        d.keys(.char("m"), .char("e"))
        let text = d.text
        XCTAssertTrue(text.contains("(now: text/css)"), text)
        XCTAssertTrue(text.contains("(varies)"), "the two Cache-Controls differ: " + text)
        d.keys(.ctrl("r"))
        XCTAssertEqual((d.state.topPage as? HeaderFormPage)?.form.values[0], "", "no single value to start from")
        d.keys(.down, .ctrl("r"))
        XCTAssertEqual((d.state.topPage as? HeaderFormPage)?.form.values[1], "text/css")
    }

    func testCancellingComesBackToTheAuditAndKeepsWhatWasTyped() {
        var d = audit()
        d.keys(.char("m"), .char("e"))
        d.type("public, max-age=600")
        d.keys(.escape)
        XCTAssertTrue(d.state.topPage is AuditPage, "back to the audit")
        d.keys(.char("e"))
        XCTAssertEqual((d.state.topPage as? HeaderFormPage)?.form.values[0], "public, max-age=600")
        d.keys(.enter)
        XCTAssertTrue(d.state.topPage is AuditPage)
        d.send(.editPlanned(id: d.lastID, .success(EditPreview(planID: 1, total: 2, changing: 2, lines: []))))
        XCTAssertTrue(d.state.topPage is EditPreviewPage)
        d.keys(.char("n"))
        XCTAssertTrue(d.state.topPage is AuditPage, "a cancelled preview comes back to the audit")
        d.keys(.char("e"))
        XCTAssertEqual((d.state.topPage as? HeaderFormPage)?.form.values[0], "public, max-age=600")
    }

    func testAnAppliedEditComesBackToTheAuditReadAgain() {
        var d = audit()
        d.keys(.char("1"))
        d.keys(.char("m"), .char("e"))
        d.type("max-age=600")
        d.keys(.enter)
        d.send(.editPlanned(id: d.lastID, .success(EditPreview(planID: 1, total: 2, changing: 2, lines: []))))
        XCTAssertEqual(d.keys(.char("y")), [.executeEdit(id: d.lastID, planID: 1)])
        let effects = d.send(.operationFinished(id: d.lastID, OperationReport(title: "changed 2, skipped 0, failed 0",
                                                                               lines: [], failed: 0, retryID: nil),
                                                refresh: []))
        XCTAssertEqual(effects.filter { if case .audit = $0 { return true } else { return false } },
                       [.audit(id: lastRequest(in: effects), bucket: "site", prefix: "static/")])
        XCTAssertTrue(d.state.topPage is ReportPage, d.text)
        d.keys(.char("x"))
        let page = d.state.topPage as? AuditPage
        XCTAssertEqual(page?.view.entries, [], "read again")
        XCTAssertEqual(page?.view.rules, [true, false, false, false], "with the same rules")
        XCTAssertNil(page?.draft)
    }

    func testRowsOfTheReadingARefreshReplacedAreDropped() {
        var d = audit()
        let first = d.lastID
        d.keys(.char("m"), .char("e"))
        d.type("max-age=600")
        d.keys(.enter)
        d.send(.editPlanned(id: d.lastID, .success(EditPreview(planID: 1, total: 2, changing: 2, lines: []))))
        d.keys(.char("y"))
        let effects = d.send(.operationFinished(id: d.lastID, OperationReport(title: "changed 2", lines: [],
                                                                               failed: 0, retryID: nil),
                                                refresh: []))
        let second = lastRequest(in: effects)
        XCTAssertNotEqual(first, second)
        d.keys(.char("x"))
        // Rows the first reading had sent before it was cancelled arrive after the refresh.
        d.send(.auditRows(id: first, [AuditEntry(key: "static/a.css", size: 1, modified: 0, contentType: "text/css",
                                                 cacheControl: "max-age=60", contentEncoding: nil)]))
        d.send(.auditRows(id: second, [AuditEntry(key: "static/a.css", size: 1, modified: 0,
                                                  contentType: "text/css", cacheControl: "max-age=600",
                                                  contentEncoding: nil)]))
        let page = d.state.topPage as? AuditPage
        XCTAssertEqual(page?.view.entries.map(\.cacheControl), ["max-age=600"], "only the new reading's rows")
        d.send(.auditFinished(id: first, error: nil))
        XCTAssertTrue(d.state.isOpen((d.state.topPage as? AuditPage)?.request), "the new reading still runs")
    }

    func testEveryRulesStateIsShownAt80ColumnsAndTabHidesTheDetails() {
        var d = audit(width: 80, height: 24)
        d.keys(.char("3"))
        var text = d.text
        for rule in ["1[ ] no Cache-Control", "2[ ] max-age<1d", "3[x] css/js not gzip", "4[ ] type≠ext"] {
            XCTAssertTrue(text.contains(rule), rule + "\n" + text)
        }
        XCTAssertTrue(text.contains("Content-Type: text/css"), text)
        d.keys(.tab)
        text = d.text
        XCTAssertFalse(text.contains("Content-Type: text/css"), text)
        XCTAssertTrue(d.state.topPage is AuditPage)
    }
}
