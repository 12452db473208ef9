import XCTest
@testable import Browser

final class LineEditorTests: XCTestCase {
    func testReadlineKeysMoveAndEditAtTheCursor() {
        var e = LineEditor("max-age=36400")
        XCTAssertEqual(e.cursor, 13)
        for _ in 0..<4 { e.handle(.left) }
        e.handle(.backspace)  // the 3 of 36400
        e.handle(.char("8"))
        XCTAssertEqual(e.text, "max-age=86400")
        e.handle(.home)
        e.handle(.delete)
        XCTAssertEqual(e.text, "ax-age=86400")
        e.handle(.char("m"))
        e.handle(.ctrl("e"))
        e.type(", public")
        XCTAssertEqual(e.text, "max-age=86400, public")
        e.handle(.ctrl("w"))
        XCTAssertEqual(e.text, "max-age=86400, ")
        e.handle(.ctrl("a"))
        e.handle(.right)
        e.handle(.ctrl("k"))
        XCTAssertEqual(e.text, "m")
        e.handle(.end)
        e.type("ax")
        e.handle(.left)
        e.handle(.ctrl("u"))
        XCTAssertEqual(e.text, "x", "^U removes what is before the cursor")
        XCTAssertEqual(e.cursor, 0)
        XCTAssertFalse(e.handle(.enter), "Enter is the caller's")
        XCTAssertFalse(e.handle(.tab))
        // Keys at the ends change nothing and do not crash.
        e.handle(.backspace)
        e.handle(.ctrl("e"))
        e.handle(.delete)
        e.handle(.right)
        XCTAssertEqual(e.text, "x")
    }

    func testCtrlWRemovesOnePathSegment() {
        var e = LineEditor("s3://site/static/css/")
        e.handle(.ctrl("w"))
        XCTAssertEqual(e.text, "s3://site/static/")
    }

    func testLongTextScrollsSoTheCursorAndTheTypedEndStayVisible() {
        let long = "public, max-age=31536000, s-maxage=86400, stale-while-revalidate=60, immutable"
        var e = LineEditor(long)
        for width in [20, 40, 58] {
            let shown = e.rendered(width: width)
            XCTAssertLessThanOrEqual(DisplayWidth.of(shown), width, shown)
            XCTAssertTrue(shown.hasSuffix("immutable▏"), shown)
            XCTAssertTrue(shown.hasPrefix("…"), shown)
        }
        e.handle(.home)
        let start = e.rendered(width: 30)
        XCTAssertTrue(start.hasPrefix("▏public, max-age"), start)
        XCTAssertTrue(start.hasSuffix("…"), start)
        XCTAssertEqual(DisplayWidth.of(start), 30)
        for _ in 0..<40 { e.handle(.right) }
        let middle = e.rendered(width: 30)
        XCTAssertTrue(middle.hasPrefix("…") && middle.hasSuffix("…") && middle.contains("▏"), middle)
        XCTAssertLessThanOrEqual(DisplayWidth.of(middle), 30)
        XCTAssertEqual(LineEditor("short").rendered(width: 30), "short▏")
        // Control characters are drawn through the escape given, and still fit.
        let escaped = LineEditor("a\u{1b}b").rendered(width: 30, escape: Formatting.safe)
        XCTAssertFalse(escaped.contains("\u{1b}"))
    }
}

extension LineEditor {
    mutating func type(_ s: String) { for c in s { handle(.char(c)) } }
}
