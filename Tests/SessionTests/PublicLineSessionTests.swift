import Browser
import Foundation
import S3
import TestSupport
import XCTest

final class PublicLineSessionTests: XCTestCase {
    func testTheDetailsPaneSaysWhetherTheObjectIsReadableWithoutCredentials() throws {
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", width: 160, height: 30, transport: t)
        d.world.answerPublicHEAD { url in HTTPResponse(status: url.hasSuffix("/index.html") ? 200 : 403) }
        d.timerHorizon = 0  // the debounce timers wait until told
        d.runUntilIdle()
        // Moving over media/ and back: nothing asked until the cursor rests.
        d.press(.down, .right, .down, .down, .down)
        XCTAssertEqual(d.world.publicHEADs, [])
        d.fireAllTimers()
        // One unsigned HEAD, for the object the cursor rests on, after its details HEAD.
        XCTAssertEqual(d.state.cursorEntry?.key, "media/b.jpg")
        XCTAssertEqual(d.world.publicHEADs, ["https://s3.test.example/site/media/b.jpg"])
        func access(_ key: String) -> PublicAccess? { d.state.publicAccess.first { $0.key.key == key }?.value }
        XCTAssertEqual(access("media/b.jpg"), PublicAccess(.no, "no (HTTP 403 unsigned)"))
        XCTAssertTrue(d.text.contains("Public?       no (HTTP 403 unsigned)"), d.text)

        d.press(.home)
        d.fireAllTimers()
        XCTAssertEqual(d.state.cursorEntry?.key, "index.html", d.text)
        XCTAssertEqual(d.world.publicHEADs.last, "https://s3.test.example/site/index.html")
        XCTAssertEqual(access("index.html"), PublicAccess(.yes, "yes (HTTP 200 unsigned)"))
        // Read once per object: back on b.jpg, no second HEAD.
        let count = d.world.publicHEADs.count
        XCTAssertEqual(count, 2)
        d.press(.down, .down, .down, .down)
        d.fireAllTimers()
        XCTAssertEqual(d.world.publicHEADs.count, count)
    }
}
