import XCTest
import Operations
@testable import Browser

/// Keys read in one burst after a command apply after it, as a person typing them means.
final class TypeAheadTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")
    let staticNode = NodeID(bucket: "site", prefix: "static/")
    let css = NodeID(bucket: "site", prefix: "static/css/")

    /// `g static/css/` Enter `j` in one burst: the `j` moves down from the jump's target, once
    /// its row has come, instead of being undone by the landing.
    func testAKeyTypedRightAfterAJumpMovesFromItsTarget() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["media/", "static/"])
        d.keys(.char("g"))
        d.type("static/css/")
        d.keys(.enter, .char("j"))
        XCTAssertEqual(d.state.cursorEntry?.key, "media/", "nothing moves before the target is there")
        d.answer(css, objects: [obj("a.css"), obj("b.css")])
        d.answer(staticNode, prefixes: ["css/", "js/"])
        XCTAssertEqual(d.state.cursorEntry?.key, "static/css/a.css", d.text)
        XCTAssertTrue(d.state.heldKeys.isEmpty)
    }

    /// A target that never comes (no such prefix) holds nothing once its level is listed: the
    /// held keys then apply, in order, to the page they open.
    func testHeldKeysApplyWhenTheTargetIsNotThere() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["static/"])
        d.keys(.char("g"))
        d.type("static/nope/")
        d.keys(.enter, .char("/"))
        d.type("cs")
        XCTAssertNil(d.state.page(FilterPage.self), "held while static/ is listed")
        d.answer(staticNode, prefixes: ["css/"])
        guard let filter = d.state.page(FilterPage.self) else { return XCTFail("the held / opens the filter") }
        XCTAssertEqual(filter.line.text, "cs", "and the keys after it are typed into it")
    }

    /// A failed listing ends the wait too.
    func testHeldKeysApplyWhenTheListingFails() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["static/"])
        d.keys(.char("g"))
        d.type("static/css/")
        d.keys(.enter, .char("/"))
        XCTAssertNil(d.state.page(FilterPage.self))
        guard let t = d.token(staticNode) else { return XCTFail("static/ is listed") }
        d.send(.listingFinished(node: staticNode, token: t, error: BrowserError("Access Denied")))
        XCTAssertNotNil(d.state.page(FilterPage.self))
    }
}
