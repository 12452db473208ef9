import Browser
import Foundation
import TestSupport
import XCTest

final class PathCompletionSessionTests: XCTestCase {
    func testTabCompletesALocalPathUnderHome() throws {
        let home = try SiteFixture.folder()
        try FileManager.default.createDirectory(atPath: home + "/uploads-a", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: home + "/uploads b.txt", contents: Data())
        FileManager.default.createFile(atPath: home + "/.uploads-hidden", contents: Data())
        FileManager.default.createFile(atPath: home + "/other", contents: Data())
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", environment: ["HOME": home], transport: t)
        d.runUntilIdle()
        d.press(.down, .char("U"))
        XCTAssertTrue(d.text.contains("upload to s3://site/media/ from:"), d.text)
        func box() -> [String] {
            d.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("│ ~/") }.map { $0.dropFirst(2).split(separator: " ").joined(separator: " ") }
                .map { String($0.dropLast(2)) }
        }
        // Hidden files are left out unless the typed name starts with a dot.
        d.type("~/")
        d.press(.tab)
        XCTAssertEqual(box(), ["~/other", "~/uploads\\\\ b.txt", "~/uploads-a/"], d.text)
        d.type(".")
        d.press(.tab)
        XCTAssertTrue(d.text.contains("from: ~/.uploads-hidden"), d.text)
        d.press(.ctrl("u"))

        d.type("~/up")
        d.press(.tab)
        // The common start is filled in; the candidates are listed, folders with "/", spaces
        // escaped (the screen shows the backslash doubled).
        XCTAssertTrue(d.text.contains("upload to s3://site/media/ from: ~/uploads"), d.text)
        XCTAssertEqual(box(), ["~/uploads\\\\ b.txt", "~/uploads-a/"], d.text)
        assertSnapshot(d.screen, named: "path-completion-80x24")

        d.type("-")
        d.press(.tab)
        XCTAssertTrue(d.text.contains("from: ~/uploads-a/"), d.text)
        // Nothing here touched the server beyond the listing and the details' HEAD (and the count
        // of the bucket's incomplete uploads when it opened).
        XCTAssertEqual(t.requests.filter { $0.queryValue("uploads") == nil }.map(\.method), ["GET", "HEAD"])
    }
}
