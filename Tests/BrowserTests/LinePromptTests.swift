import XCTest
import Operations
@testable import Browser

/// The jump and path prompts edit as every other prompt does (the shared LinePrompt and its
/// LineEditor), and keep their own keys: Tab completes, Enter goes.
final class LinePromptTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")

    func testTheJumpPromptEditsWithTheSharedKeys() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/", "static/"])
        d.keys(.char("g"))
        XCTAssertTrue(d.state.topPage is any LinePrompt)
        d.type("static/cs/x")
        d.keys(.ctrl("w"))  // the last segment: "static/cs/"
        d.keys(.left, .char("s"))  // "static/css/"
        d.keys(.home, .delete, .char("S"))  // "Static/css/"
        d.keys(.ctrl("a"), .delete, .ctrl("e"), .backspace, .char("/"))  // "tatic/css/"
        d.keys(.home, .char("s"))  // "static/css/"
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "static/css/")
        d.keys(.end, .left, .left, .ctrl("k"))
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "static/cs")
        d.keys(.ctrl("u"))
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "")
        // Its own keys stay: Tab asks for completions, Enter jumps.
        d.type("static/c")
        let tab = d.keys(.tab)
        XCTAssertEqual(tab, [.completePrefix(id: d.lastID, bucket: "site", prefix: "static/c")])
        d.keys(.enter)
        XCTAssertNil(d.state.page(JumpPage.self))
    }

    func testThePathPromptEditsWithTheSharedKeysAndEscapesItsLabel() {
        var d = Driver(bucket: "site", width: 100)
        d.answer(site, prefixes: ["a\u{1b}[2Jb/"])
        d.keys(.char("U"))
        guard d.state.page(PathPromptPage.self) != nil else { return XCTFail("the upload prompt opens") }
        XCTAssertTrue(d.state.topPage is any LinePrompt)
        d.type("/tmp/photos/x")
        d.keys(.ctrl("w"), .left, .ctrl("k"), .ctrl("a"), .delete, .end)
        XCTAssertEqual(d.state.page(PathPromptPage.self)?.text.text, "tmp/photos")
        d.keys(.home, .char("/"), .end, .char("/"))
        XCTAssertEqual(d.state.page(PathPromptPage.self)?.text.text, "/tmp/photos/")
        let text = d.text
        XCTAssertFalse(text.contains("\u{1b}"), "a key's control character never reaches the terminal: \(text)")
        XCTAssertTrue(text.contains("upload to s3://site/a\\x1b[2Jb/ from: /tmp/photos/▏"), text)
        // Tab still completes local paths.
        XCTAssertEqual(d.keys(.tab), [.completePath(id: d.lastID, "/tmp/photos/")])
    }
}
