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

    /// Held keys never answer a dangerous question that opened while they waited: it was not on
    /// screen when they were typed.
    func testHeldKeysDoNotAnswerAQuestionThatOpenedWhileTheyWaited() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["static/"])
        d.keys(.char("g"))
        d.type("static/css/")
        d.keys(.enter, .char("o"))
        d.send(.uploadConflicts(batchID: 4, count: 1, example: "static/css/a.css"))
        XCTAssertNotNil(d.state.page(ConflictPromptPage.self))
        d.answer(staticNode, prefixes: ["css/"])
        XCTAssertNotNil(d.state.page(ConflictPromptPage.self), "still asking")
        XCTAssertFalse(d.effects.contains { if case .resolveConflicts = $0 { return true }; return false })
        XCTAssertTrue(d.state.heldKeys.isEmpty)
        d.keys(.escape)  // typed once it was drawn: cancels
        XCTAssertEqual(d.effects.last, .resolveConflicts(id: nil, batchID: 4, overwrite: nil))
        // A key typed once the question is on screen answers it, while a jump still waits.
        d.keys(.char("g"))
        d.type("static/css/deep/")
        d.keys(.enter)
        d.send(.uploadConflicts(batchID: 5, count: 1, example: "static/css/a.css"))
        d.keys(.char("s"))
        XCTAssertEqual(d.effects.last, .resolveConflicts(id: d.lastID, batchID: 5, overwrite: false))
    }
}
