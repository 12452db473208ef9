import Browser
import Foundation
import S3
import TestSupport
import XCTest

final class DeleteSessionTests: XCTestCase {
    /// The site, with a recursive listing of media/2023/ that also names keys outside it.
    func hostileSite() -> ScriptedTransport {
        let t = ScriptedTransport()
        t.on({ $0.queryValue("prefix") == "media/2023/" && $0.queryValue("delimiter") == nil }) { _ in
            .success(S3Answers.listObjectsV2(
                bucket: "site", prefix: "media/2023/", delimiter: nil,
                objects: [.init("media/2023/x.jpg", size: 300), .init("media/2023-old/z.jpg"), .init("media/b.jpg"),
                          .init("media/2023/y.jpg", size: 400)]))
        }
        t.on("POST", path: "/site", having: ["delete"]) { S3Answers.deleted($0) }
        return SiteFixture.transport(t)
    }

    /// Opens media/ and marks 2023/, a.jpg and c.jpg (marking moves the cursor down).
    func markThree(_ d: BrowserDriver) {
        d.runUntilIdle()
        d.press(.down, .right, .down, .char(" "), .char(" "), .down, .char(" "))
        XCTAssertTrue(d.text.contains("3 marked"), d.text)
    }

    func testADeleteSendsDeleteObjectsForExactlyTheMarkedKeysAfterTheConfirmation() throws {
        let state = try SiteFixture.folder()
        let t = hostileSite()
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, environment: ["XDG_STATE_HOME": state],
                              transport: t)
        markThree(d)
        d.press(.char("d"))
        // The plan is shown; nothing is deleted yet.
        XCTAssertTrue(t.requests.allSatisfy { $0.method == "GET" || $0.method == "HEAD" }, "\(t.requests.map(\.line))")
        XCTAssertTrue(d.text.contains("4 objects"), d.text)
        XCTAssertTrue(d.text.contains("Type this, then Enter, to delete"), d.text)
        assertSnapshot(d.screen, named: "delete-confirmation-120x40")

        // A wrong word deletes nothing; the right one does.
        d.type("s3://site/media/")
        d.press(.enter)
        XCTAssertTrue(t.requests("POST").isEmpty, "\(t.requests.map(\.line))")
        d.press(.ctrl("u"))
        d.type("s3://site/media/2023/")
        d.press(.enter)
        let deletes = t.requests.filter { $0.method != "GET" && $0.method != "HEAD" }
        XCTAssertEqual(deletes.map(\.line), ["POST /site?delete="])
        XCTAssertEqual(S3Answers.deleteKeys(deletes[0]), ["media/a.jpg", "media/c.jpg", "media/2023/x.jpg",
                                                          "media/2023/y.jpg"])
        XCTAssertNotNil(deletes[0].header("Content-MD5"))
        XCTAssertTrue(d.text.contains("deleted 4 of 4 objects"), d.text)
        // The manifest went to the state folder before the delete.
        let manifests = FileManager.default.enumerator(atPath: state)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".jsonl") } ?? []
        XCTAssertEqual(manifests.count, 1, "\(manifests)")
    }

    func testCancellingTheConfirmationSendsNothing() throws {
        let t = hostileSite()
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        markThree(d)
        d.press(.char("d"), .escape)
        d.press(.char("y"), .enter)
        XCTAssertTrue(t.requests.allSatisfy { $0.method == "GET" || $0.method == "HEAD" }, "\(t.requests.map(\.line))")
        XCTAssertTrue(d.performed.contains { if case .discardPlan = $0 { return true }; return false })
    }
}
