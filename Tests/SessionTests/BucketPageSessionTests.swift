import Browser
import Foundation
import Operations
import S3
import TestSupport
import XCTest

final class BucketPageSessionTests: XCTestCase {
    func testBOpensTheBucketsSettingsSectionBySectionAndEHintsTheEditCommand() throws {
        let t = ScriptedTransport()
        t.on("GET", path: "/site", having: ["location"]) { _ in
            S3Answers.xml("<LocationConstraint>eu-west-1</LocationConstraint>")
        }
        t.on("GET", path: "/site", having: ["versioning"]) { _ in S3Answers.versioning("Enabled") }
        t.on("GET", path: "/site", having: ["cors"]) { _ in
            S3Answers.error(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist")
        }
        t.on("GET", path: "/site", having: ["policy"]) { _ in
            HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data(#"""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",\#
                "Resource":"arn:aws:s3:::site/*"}]}
                """#.utf8))
        }
        SiteFixture.transport(t)
        // Everything else answers 501 NotImplemented, as a server without the feature does.
        let d = BrowserDriver(bucket: "site", width: 100, height: 40, transport: t)
        d.runUntilIdle()
        t.forgetRequests()
        d.press(.char("b"))
        let asked = t.requests.filter { $0.method == "GET" }.compactMap { $0.query.first?.0 }
        // The sections in `pail bucket show`'s order, one GET each, off the UI thread.
        XCTAssertEqual(asked, ["location", "versioning", "ownershipControls", "encryption", "publicAccessBlock",
                               "policy", "cors", "lifecycle", "website", "tagging"])
        let text = d.text
        XCTAssertTrue(text.contains("s3://site/  (what governs every object in it)"), text)
        XCTAssertTrue(text.contains("region: eu-west-1"), text)
        XCTAssertTrue(text.contains("versioning: Enabled"), text)
        XCTAssertTrue(text.contains("CORS: not set (NoSuchCORSConfiguration)"), text)
        XCTAssertTrue(text.contains("default encryption: not supported by this server (NotImplemented)"), text)
        // The policy pretty-printed, one member a line.
        XCTAssertTrue(text.contains("bucket policy:"), text)
        XCTAssertTrue(text.contains("\"Effect\": \"Allow\""), text)
        assertSnapshot(d.screen, named: "bucket-page-100x40")

        // The seventh section is CORS: e says the command that edits it.
        for _ in 0..<6 { d.press(.down) }
        d.press(.char("e"))
        XCTAssertEqual(d.state.status?.text,
                       "edit it with: pail bucket edit s3://site cors  ($EDITOR, a diff, then a confirmation)")
        d.press(.up, .up, .up, .up, .up, .char("e"))
        XCTAssertEqual(d.state.status?.text,
                       "change it with: pail bucket edit s3://site versioning --enable (or --suspend)")
        d.press(.escape)
        XCTAssertTrue(d.state.topPage is TreePage)
    }

    func testABucketThatCannotBeReadSaysSoInOneLine() {
        let t = ScriptedTransport()
        t.on("GET", path: "/gone", having: ["location"]) { _ in
            S3Answers.error(404, "NoSuchBucket", "The specified bucket does not exist")
        }
        t.on("GET", path: "/gone", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "gone", prefix: "")
        }
        let d = BrowserDriver(bucket: "gone", width: 100, height: 30, transport: t)
        d.runUntilIdle()
        d.press(.char("b"))
        XCTAssertTrue(d.text.contains("s3://gone/  (cannot read it: "), d.text)
        XCTAssertTrue(d.text.contains("NoSuchBucket"), d.text)
        XCTAssertEqual(t.requests.filter { $0.query.first?.0 == "versioning" }.count, 0)
    }
}
