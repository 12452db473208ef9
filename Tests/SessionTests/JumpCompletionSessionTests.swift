import Browser
import Foundation
import TestSupport
import XCTest

final class JumpCompletionSessionTests: XCTestCase {
    /// Tab in the jump prompt completes from one delimiter listing of the typed prefix: a
    /// single choice is filled in, several extend to their common start, and a second Tab
    /// lists them on the line under the prompt.
    func testTabCompletesPrefixesFromAListing() throws {
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", environment: [:], transport: t)
        d.runUntilIdle()
        d.press(.char("g"))
        d.type("me")
        d.press(.tab)
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "media/", d.text)
        d.type("2")
        d.press(.tab)
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "media/2023/", d.text)
        // The listings asked: prefix "me", then "media/2", one level each.
        let lists = t.requests.filter { $0.method == "GET" }
            .map { ($0.queryValue("prefix"), $0.queryValue("delimiter")) }
        XCTAssertEqual(lists.suffix(2).map(\.0), ["me", "media/2"])
        XCTAssertEqual(lists.suffix(2).map(\.1), ["/", "/"])
        d.press(.enter)
        d.runUntilIdle()
        XCTAssertNil(d.state.page(JumpPage.self))
    }

    func testSecondTabListsTheChoicesAndNoneIsSaid() throws {
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", environment: [:], transport: t)
        d.runUntilIdle()
        d.press(.char("g"))
        d.press(.tab)
        // Two prefixes at the top ("media/", "static/"): nothing in common, so listed.
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "", d.text)
        XCTAssertTrue(d.text.contains("2 prefixes: media/  static/"), d.text)
        d.type("s3://site/x")
        d.press(.tab)
        XCTAssertTrue(d.text.contains("no prefix starts with s3://site/x"), d.text)
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "s3://site/x", "a miss keeps what was typed")
        d.press(.ctrl("u"))
        d.type("s3://site/st")
        d.press(.tab)
        XCTAssertEqual(d.state.page(JumpPage.self)?.text.text, "s3://site/static/", d.text)
    }
}
