import Browser
import Foundation
import S3
import TestSupport
import XCTest

final class ListingSessionTests: XCTestCase {
    func testOpeningABucketSendsOneListObjectsV2AndShowsItsRows() throws {
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", transport: t)
        d.runUntilIdle()
        let lists = t.requests("GET", having: ["list-type"])
        XCTAssertEqual(lists.map(\.line), ["GET /site?list-type=2&encoding-type=url&delimiter=/"])
        XCTAssertEqual(lists.first?.host, "s3.test.example")
        assertSnapshot(d.screen, named: "bucket-listed-80x24")

        // Opening media/ lists that level only, one request, and shows its names without the prefix.
        d.press(.down, .right)
        XCTAssertEqual(t.requests("GET", having: ["list-type"]).dropFirst().map(\.line),
                       ["GET /site?list-type=2&encoding-type=url&prefix=media/&delimiter=/"])
        let rows = d.text.split(separator: "\n").map(String.init)
        for name in ["▾ media/", "▸ 2023/", "a.jpg", "b.jpg", "c.jpg"] {
            XCTAssert(rows.contains { $0.contains(name) }, "no row \(name) in\n\(d.text)")
        }
        XCTAssertFalse(d.text.contains("media/a.jpg"), "a row shows the whole key:\n\(d.text)")
        assertSnapshot(d.screen, named: "media-opened-80x24")
    }

    func testAListingAnswerOutsideThePrefixIsNeverShown() throws {
        let t = ScriptedTransport()
        // A hostile page for prefix media/: keys and a common prefix outside it, an object named
        // like the prefix itself, and a key with an escape sequence in it.
        t.on({ $0.queryValue("list-type") != nil && $0.queryValue("prefix") == nil }) { _ in
            .success(S3Answers.listObjectsV2(bucket: "site", prefix: "", commonPrefixes: ["media/"]))
        }
        t.on("GET", path: "/site", having: ["list-type", "prefix"]) { _ in
            S3Answers.listObjectsV2(
                bucket: "site", prefix: "media/",
                objects: [.init("media/a.jpg"), .init("secret/passwords.txt"), .init("media-old/b.jpg"),
                          .init("media/"), .init("media/evil\u{1B}[2Jname.jpg")],
                commonPrefixes: ["media/2023/", "other/"])
        }
        let d = BrowserDriver(bucket: "site", prefix: "media/", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        let text = d.text
        // The tree: below the title, above the status line, left of the details pane.
        let tree = text.split(separator: "\n", omittingEmptySubsequences: false)[1..<37]
            .map { String($0.prefix(70)).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        XCTAssertEqual(tree, ["▾ media/", "▸ 2023/",
                              "a.jpg                                      100 B 2026-11-01 12:00",
                              "evil\\x1b[2Jname.jpg                        100 B 2026-11-01 12:00"])
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B }, "a raw escape reached the screen")
        // The person is told the server's answer was not believed.
        XCTAssertTrue(text.contains("warning: the server at s3.test.example listed for s3://site/media/ 3 entries "
                                    + "outside the prefix"), text)
        assertSnapshot(d.screen, named: "hostile-listing-120x40")
    }
}
