import XCTest
import Operations
@testable import Browser

/// Values as values: long header values wrap instead of losing their end, a missing header is
/// said as missing, report lines are drawn by their kind, the audit shows a row in full.
final class TypedValuesTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")
    let long = "public, max-age=31536000, s-maxage=31536000, stale-while-revalidate=86400, immutable"

    func driver(width: Int, height: Int, cacheControl: String?) -> Driver {
        var d = Driver(bucket: "site", width: width, height: height)
        d.answer(site, objects: [obj("app.css")])
        d.send(.headTimerFired(bucket: "site", key: "app.css"))
        d.send(.headed(id: d.lastID, bucket: "site", key: "app.css", .success([
            DetailRow("Content-Type", "text/css"),
            cacheControl.map { DetailRow("Cache-Control", $0) } ?? .absent("Cache-Control"),
            DetailRow("Content-Encoding", "gzip"),
        ])))
        return d
    }

    /// The screen's lines (right of the pane's border when it is beside the tree), joined
    /// with their indentation removed, to read a wrapped value.
    func joined(_ text: String) -> String {
        text.split(separator: "\n").map { line in
            let pane = line.split(separator: "│", omittingEmptySubsequences: false).last ?? line
            return pane.trimmingCharacters(in: .whitespaces)
        }.joined(separator: " ")
    }

    func testALongCacheControlWrapsInTheDetailsPaneAtEverySize() {
        for (w, h) in [(80, 24), (120, 40)] {
            let text = driver(width: w, height: h, cacheControl: long).text
            XCTAssertTrue(joined(text).contains(long), "\(w)x\(h):\n\(text)")
            XCTAssertTrue(text.contains("Content-Encoding"), "the rows after it still show")
        }
        let common = driver(width: 120, height: 40, cacheControl: "public, max-age=31536000, immutable").text
        XCTAssertTrue(joined(common).contains("public, max-age=31536000, immutable"), common)
        XCTAssertFalse(joined(common).contains("…"), "nothing cut:\n\(common)")
    }

    func testAMissingHeaderIsSaidAsMissingAndNeverTakenAsItsValue() {
        var d = driver(width: 120, height: 40, cacheControl: nil)
        XCTAssertTrue(d.text.contains("Cache-Control (none)") || d.text.contains("Cache-Control    (none)")
                      || d.text.range(of: "Cache-Control +\\(none\\)", options: .regularExpression) != nil, d.text)
        d.keys(.char("e"))
        XCTAssertEqual(d.state.page(HeaderFormPage.self)?.form.current[0], nil)
    }

    func testReportLinesAreDrawnByTheirKindNotTheirFirstWord() {
        var d = Driver(bucket: "site", width: 80, height: 24)
        d.answer(site, objects: [obj("a")])
        d.send(.operationFinished(id: RequestID(0), OperationReport(title: "changed 0, skipped 0, failed 2", lines: [
            ReportLine("note.txt: AccessDenied", kind: .error),
            ReportLine("versioning is on: every edited object gets a new version", kind: .note),
            ReportLine("versioned.txt: fine"),
        ], failed: 2), refresh: []))
        let screen = Renderer.render(d.state)
        func style(of text: String) -> CellStyle? {
            let lines = screen.text.split(separator: "\n", omittingEmptySubsequences: false)
            guard let y = lines.firstIndex(where: { $0.contains(text) }),
                  let x = lines[y].range(of: text).map({ lines[y].distance(from: lines[y].startIndex,
                                                                           to: $0.lowerBound) })
            else { return nil }
            return screen.cell(row: y, column: x).style
        }
        XCTAssertEqual(style(of: "note.txt: AccessDenied"), .error, "an error, whatever its first word")
        XCTAssertEqual(style(of: "versioning is on"), .notice)
        XCTAssertEqual(style(of: "versioned.txt: fine"), .normal, "a plain line starting with \"version\"")
    }

    func testTheAuditShowsTheSelectedRowsValuesInFull() {
        var d = Driver(bucket: "site", width: 80, height: 24)
        d.answer(site, prefixes: ["static/"])
        d.keys(.char("a"))
        d.send(.auditRows(id: d.lastID, [
            AuditEntry(key: "static/app.css", size: 1, modified: 0, contentType: "text/css",
                       cacheControl: long, contentEncoding: "gzip"),
        ]))
        let text = d.text
        XCTAssertTrue(joined(text).contains("Cache-Control: " + long), text)
    }
}
