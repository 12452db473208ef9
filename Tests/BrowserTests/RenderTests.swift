import XCTest
@testable import Browser

final class RenderTests: XCTestCase {
    func siteDriver(width: Int, height: Int) -> Driver {
        var d = Driver(bucket: "site", prefix: "", width: width, height: height)
        let site = NodeID(bucket: "site", prefix: "")
        d.answer(site, prefixes: ["media/", "static/"], objects: [obj("robots.txt", 24)])
        d.keys(.enter)
        d.answer(NodeID(bucket: "site", prefix: "media/"), prefixes: ["uploads/"], objects: [
            obj("Café menu.pdf", 2048, 1), obj("odd\u{1B}[31mname.txt", 6, 2),
            obj("日本語ドキュメント.pdf", 123_456, 3),
            obj("🎉 party.jpg", 5_000_000, 4),
            obj("a-very-long-file-name-that-will-not-fit-in-the-tree-column-at-all-whatever-the-width.jpg", 1, 5),
        ])
        d.keys(.down)
        d.send(.headTimerFired(bucket: "site", key: "media/Café menu.pdf"))
        d.send(.headed(id: d.lastID, bucket: "site", key: "media/Café menu.pdf", .success([
            DetailRow("Content-Type", "application/pdf"), DetailRow("Cache-Control", "public, max-age=86400"),
            DetailRow("meta owner", "alice"),
        ])))
        d.keys(.char(" "), .up)
        return d
    }

    func testSnapshot80x24() { assertSnapshot(Renderer.render(siteDriver(width: 80, height: 24).state),
                                              named: "tree-80x24") }
    func testSnapshot120x40() { assertSnapshot(Renderer.render(siteDriver(width: 120, height: 40).state),
                                               named: "tree-120x40") }

    func testHelpSnapshot() {
        var d = siteDriver(width: 80, height: 24)
        d.keys(.char("?"))
        assertSnapshot(Renderer.render(d.state), named: "help-80x24")
    }

    func testControlCharactersNeverReachTheGrid() {
        for (w, h) in [(80, 24), (120, 40), (40, 10)] {
            let screen = Renderer.render(siteDriver(width: w, height: h).state)
            for c in screen.cells {
                XCTAssertFalse(c.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
            }
        }
        XCTAssertTrue(Renderer.render(siteDriver(width: 80, height: 24).state).text.contains("odd\\x1b[31mname.txt"))
    }

    func testWideCharactersKeepColumnsAligned() {
        let screen = Renderer.render(siteDriver(width: 80, height: 24).state)
        let lines = screen.text.split(separator: "\n").filter { $0.contains("KiB") || $0.contains("MiB") }
        XCTAssertGreaterThan(lines.count, 2)
        let ends = Set(lines.map { DisplayWidth.of(String($0)) })
        XCTAssertEqual(ends.count, 1, "rows end in the same column: \(lines)")
        XCTAssertTrue(screen.text.contains("…"), "long names cut with an ellipsis")
    }

    func testSmallTerminals() {
        let tiny = Renderer.render(siteDriver(width: 39, height: 9).state)
        XCTAssertTrue(tiny.text.contains("too small"))
        let small = Renderer.render(siteDriver(width: 40, height: 10).state).text
        XCTAssertTrue(small.contains("[busy]"), "the title fits, with its marker (the public probe is out)")
        XCTAssertTrue(small.contains("media/"))
    }

    func testALongCopiedURLIsShownInFull() {
        var d = siteDriver(width: 80, height: 24)
        let url = "http://127.0.0.1:8333/site/media/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AK%2F20261124%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20261124T180000Z"
            + "&X-Amz-Expires=3600"
            + "&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature="
            + String(repeating: "ab", count: 32)
        d.send(.copied(text: url, via: "OSC 52"))
        let text = Renderer.render(d.state).text
        XCTAssertTrue(text.replacingOccurrences(of: "\n", with: "").contains(url), text)
        XCTAssertTrue(text.contains("q quit"), "the footer stays")
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("日本"), 4)
        XCTAssertEqual(DisplayWidth.of("🎉"), 2)
        XCTAssertEqual(DisplayWidth.of("é"), 1)
        XCTAssertEqual(DisplayWidth.truncate("日本語ドキュメント", to: 7), "日本語…")
        XCTAssertEqual(DisplayWidth.truncateLeft("s3://bucket/very/long/prefix/", to: 10), "…g/prefix/")
    }

    /// A header value in the details pane wraps at its spaces (after its commas), never inside a
    /// duration (`(1 y)`), and by characters only for a word longer than the line.
    func testDetailValuesWrapAtSpacesButNotInsideADuration() {
        let value = "public, max-age=31536000 (1 y), immutable"
        XCTAssertEqual(Renderer.wrapValue(value, width: 31), ["public, max-age=31536000 (1 y),", "immutable"])
        XCTAssertEqual(Renderer.wrapValue(value, width: 26), ["public, max-age=31536000", "(1 y), immutable"])
        XCTAssertEqual(Renderer.wrapValue(value, width: 20), ["public,", "max-age=31536000", "(1 y), immutable"])
        XCTAssertEqual(Renderer.wrapValue("a-very-long-token-without-spaces", width: 10),
                       ["a-very-lon", "g-token-wi", "thout-spac", "es"])
        XCTAssertEqual(Renderer.wrapValue("short", width: 10), ["short"])
        for width in 1...45 {
            for line in Renderer.wrapValue(value, width: width) {
                XCTAssertLessThanOrEqual(DisplayWidth.of(line), width, "\(width): \(line)")
            }
        }
    }
}
