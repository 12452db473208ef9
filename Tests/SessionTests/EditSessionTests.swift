import Browser
import Foundation
import S3
import TestSupport
import XCTest

final class EditSessionTests: XCTestCase {
    func testAHeaderEditCopiesTheObjectOntoItselfWithTheKeptHeaders() throws {
        let t = ScriptedTransport()
        t.on("PUT", path: "/site/index.html") { _ in S3Answers.copied() }
        // The object has no tags (the copy checks, to put back any a server drops).
        t.on("GET", path: "/site/index.html", having: ["tagging"]) { _ in
            S3Answers.xml("<Tagging><TagSet></TagSet></Tagging>")
        }
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: SiteFixture.transport(t))
        d.runUntilIdle()
        d.press(.char("e"))
        XCTAssertTrue(d.text.contains("Edit headers of s3://site/index.html"), d.text)
        d.type("no-cache")
        d.press(.enter)
        // The preview: before and after, nothing written yet.
        XCTAssertTrue(t.requests("PUT").isEmpty)
        XCTAssertTrue(d.text.contains("1 object: 1 will change, 0 already right (skipped)"), d.text)
        XCTAssertTrue(d.text.contains("before (1 object): public, max-age=60"), d.text)
        XCTAssertTrue(d.text.contains("after (1 change): no-cache"), d.text)
        assertSnapshot(d.screen, named: "edit-preview-120x40")

        d.press(.char("y"))
        let puts = t.requests("PUT")
        XCTAssertEqual(puts.count, 1, "\(t.requests.map(\.line))")
        let copy = try XCTUnwrap(puts.first)
        XCTAssertEqual(copy.path, "/site/index.html")
        XCTAssertEqual(copy.header("x-amz-metadata-directive"), "REPLACE")
        XCTAssertEqual(copy.header("Cache-Control"), "no-cache")
        // What was not edited is sent again as it was, or REPLACE would drop it.
        XCTAssertEqual(copy.header("Content-Type"), "text/html")
        XCTAssertEqual(copy.header("x-amz-meta-owner"), "web")
        // Only over the object that was previewed.
        XCTAssertEqual(copy.header("x-amz-copy-source-if-match"), "\"0123456789abcdef0123456789abcdef\"")
        XCTAssertTrue(d.text.contains("changed 1, skipped 0, failed 0"), d.text)
        // And nothing else: no header the object lacked, no ACL header (the server has none).
        let signing: Set<String> = ["host", "x-amz-date", "x-amz-content-sha256", "authorization"]
        XCTAssertEqual(copy.headers.filter { !signing.contains($0.0.lowercased()) }.map { "\($0.0): \($0.1)" }, [
            "Cache-Control: no-cache", "Content-Type: text/html", "x-amz-meta-owner: web",
            "x-amz-copy-source: site/index.html", "x-amz-metadata-directive: REPLACE", "x-amz-tagging-directive: COPY",
            "x-amz-copy-source-if-match: \"0123456789abcdef0123456789abcdef\"",
        ])
    }
}
