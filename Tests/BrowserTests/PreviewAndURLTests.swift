import XCTest
@testable import Browser
@testable import Operations

/// Previews that show all they fetched, and URL menus that offer only what works.
final class PreviewAndURLTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")

    func open(_ d: inout Driver, _ content: ObjectPreview) {
        d.answer(site, prefixes: ["media/"], objects: [obj("app.min.css")])
        d.keys(.char("p"))
        d.send(.previewed(id: d.lastID, bucket: "site", key: "app.min.css", .success(content)))
        XCTAssertNotNil(d.state.page(PreviewPage.self))
    }

    func testAOneLineMinifiedFileWrapsSoItsEndIsOnScreen() {
        var d = Driver(bucket: "site")
        let css = (0..<30).map { ".c\($0){color:#\($0)}" }.joined() + "END"
        XCTAssertGreaterThan(css.count, 300)
        open(&d, ObjectPreview(lines: [css], note: "text"))
        XCTAssertTrue(d.text.contains("END"), d.text)
        XCTAssertTrue(d.text.contains(".c0{color:#0}"), d.text)
    }

    func testTheHexDumpPagesThroughEveryFetchedByteAndABackslashKeepsItsColumn() {
        var d = Driver(bucket: "site")
        var bytes = Data(repeating: 0x41, count: 4096)
        bytes[4000] = 0x5C  // a backslash, in the row at 0xfa0
        let dump = ObjectPreview.hexDump(bytes, note: "binary")
        XCTAssertEqual(dump.lines.count, 256, "every fetched byte, not the first 512")
        open(&d, dump)
        d.keys(.end)
        let rows = d.text.split(separator: "\n").map(String.init)
        guard let row = rows.first(where: { $0.contains("00000fa0") }) else { return XCTFail(d.text) }
        let normal = rows.first { $0.contains("00000fb0") }!
        // The text column ends where every other row's does: the backslash is one cell.
        XCTAssertTrue(row.contains(#"\AAAAAAAAAAAAAAA"#), row)
        XCTAssertEqual(row.trimmingCharacters(in: .whitespaces).count,
                       normal.trimmingCharacters(in: .whitespaces).count, row)
        XCTAssertTrue(d.text.contains("00000ff0"), "the last row is reached with End")
    }

    func testAPrefixIsNotOfferedPresignedURLs() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/"], objects: [obj("a.jpg")])
        d.keys(.down, .char("y"))
        XCTAssertEqual(d.state.page(URLMenuPage.self)?.key, "media/")
        d.send(.urlsBuilt(id: d.lastID, bucket: "site", key: "media/", [
            URLChoice(label: "s3 URI", url: "s3://site/media/"),
            URLChoice(label: "presigned 1h", url: "http://x/media/?X-Amz-Signature=1"),
            URLChoice(label: "presigned …", url: nil, note: "type a lifetime", asksLifetime: true),
        ]))
        XCTAssertEqual(d.state.page(URLMenuPage.self)?.choices.map(\.label), ["s3 URI"])
    }
}
