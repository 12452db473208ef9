import Browser
import Foundation
import Operations
import S3
import Session
import TestSupport
import XCTest

/// A bucket's incomplete multipart uploads are counted when it is opened, without M: one
/// ListMultipartUploads page, and ListParts only when there are few.
final class BucketUploadsSessionTests: XCTestCase {
    static func uploads(_ n: Int) -> String {
        "<ListMultipartUploadsResult><Bucket>site</Bucket><IsTruncated>false</IsTruncated>"
            + (0..<n).map { "<Upload><Key>media/v\($0).mp4</Key><UploadId>up-\($0)</UploadId></Upload>" }.joined()
            + "</ListMultipartUploadsResult>"
    }

    func transport(uploads n: Int) -> ScriptedTransport {
        let t = ScriptedTransport()
        t.on({ $0.method == "GET" && $0.queryValue("uploads") != nil }) { _ in
            .success(S3Answers.xml(Self.uploads(n)))
        }
        t.on({ $0.method == "GET" && $0.queryValue("uploadId") != nil }) { _ in
            .success(S3Answers.xml("<ListPartsResult><IsTruncated>false</IsTruncated>"
                + "<Part><PartNumber>1</PartNumber><Size>5242880</Size></Part>"
                + "<Part><PartNumber>2</PartNumber><Size>1048576</Size></Part></ListPartsResult>"))
        }
        return SiteFixture.transport(t)
    }

    func testOpeningABucketSaysHowManyUploadsItHoldsAndTheirSizeInTheTitle() throws {
        let t = transport(uploads: 2)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        let title = d.text.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(title.contains("s3://site/  · 2 incomplete uploads, 12.0 MiB (M)"), title)
        XCTAssertEqual(t.requests("GET", having: ["uploads"]).count, 1, "one page of uploads")
        XCTAssertEqual(t.requests("GET", having: ["uploadId"]).count, 2, "their parts, for the size")
        // Moving below the bucket keeps the note (it is the bucket's), and nothing is asked again.
        d.press(.char("j"), .enter)
        d.runUntilIdle()
        XCTAssertEqual(t.requests("GET", having: ["uploads"]).count, 1)
    }

    func testManyUploadsAreCountedWithoutAskingEachOnesParts() throws {
        let t = transport(uploads: 21)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        XCTAssertTrue(d.text.contains("21 incomplete uploads, size on M (M)"), d.text)
        XCTAssertEqual(t.requests("GET", having: ["uploadId"]).count, 0)
    }

    func testNoUploadsSayNothing() throws {
        let t = transport(uploads: 0)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        XCTAssertEqual(t.requests("GET", having: ["uploads"]).count, 1)
        XCTAssertFalse(d.text.contains("incomplete upload"), d.text)
    }

    func testAServerThatCannotListThemSaysSoOnlyInTheBucketsDetails() throws {
        // No rule for ?uploads: the scripted server answers 501 NotImplemented.
        let t = SiteFixture.transport()
        t.on("GET", path: "/") { _ in S3Answers.listBuckets(["site"]) }
        let d = BrowserDriver(width: 120, height: 40, transport: t)
        d.runUntilIdle()
        d.press(.enter)
        d.runUntilIdle()
        XCTAssertEqual(t.requests("GET", having: ["uploads"]).count, 1)
        let lines = d.text.split(separator: "\n")
        XCTAssertFalse(lines.first?.contains("upload") ?? true, d.text)
        XCTAssertFalse(d.state.status?.isError ?? false, "\(String(describing: d.state.status))")
        XCTAssertTrue(d.text.contains("Uploads cannot count them:"), d.text)
    }
}
