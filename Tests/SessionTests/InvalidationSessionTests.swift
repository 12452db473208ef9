import Browser
import Foundation
import Operations
import S3
import TestSupport
import XCTest

final class InvalidationSessionTests: XCTestCase {
    func edit(_ d: BrowserDriver) {
        d.runUntilIdle()
        d.press(.char("e"))
        d.type("no-cache")
        d.press(.enter)
        d.press(.char("y"))
    }

    func siteTransport() -> ScriptedTransport {
        let t = ScriptedTransport()
        t.on("PUT", path: "/site/index.html") { _ in S3Answers.copied() }
        t.on("GET", path: "/site/index.html", having: ["tagging"]) { _ in
            S3Answers.xml("<Tagging><TagSet></TagSet></Tagging>")
        }
        return SiteFixture.transport(t)
    }

    /// After a header edit on a bucket with a configured distribution, `i` on the report sends
    /// CreateInvalidation for the changed key, mapped through the origin path, signed for
    /// CloudFront, and the report shows the invalidation's id.
    func testTheReportInvalidatesTheChangedObjectsOnTheBucketsDistribution() throws {
        var config = PailConfig()
        var settings = BucketSettings()
        settings.cloudfrontDistribution = "E2QWRUHEXAMPLE"
        settings.cdnOriginPath = ""
        config.buckets["site"] = settings
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, config: config,
                              environment: ["AWS_ENDPOINT_URL_CLOUDFRONT": "https://cloudfront.test.example"],
                              transport: siteTransport())
        d.world.cloudFront.on({ $0.method == "POST" }) { _ in
            .success(HTTPResponse(status: 201, body: Data(
                "<Invalidation><Id>I2J0I21PCUYOIK</Id><Status>Completed</Status></Invalidation>".utf8)))
        }
        edit(d)
        XCTAssertTrue(d.text.contains("changed 1, skipped 0, failed 0"), d.text)
        XCTAssertTrue(d.text.contains("i invalidates 1 changed object on CloudFront distribution E2QWRUHEXAMPLE"),
                      d.text)
        XCTAssertTrue(d.world.cloudFront.requests.isEmpty, "nothing sent before i")
        d.press(.char("i"))
        let posts = d.world.cloudFront.requests.filter { $0.method == "POST" }
        XCTAssertEqual(posts.count, 1, "\(d.world.cloudFront.requests.map(\.line))")
        let post = try XCTUnwrap(posts.first)
        XCTAssertEqual(post.path, "/2020-05-31/distribution/E2QWRUHEXAMPLE/invalidation")
        XCTAssertTrue(post.bodyText.contains("<Paths><Quantity>1</Quantity><Items><Path>/index.html</Path></Items>"),
                      post.bodyText)
        XCTAssertTrue(post.header("Authorization")?.contains("/us-east-1/cloudfront/aws4_request") == true)
        XCTAssertTrue(d.text.contains("invalidation I2J0I21PCUYOIK on E2QWRUHEXAMPLE: 1 path, Completed"), d.text)
        XCTAssertFalse(d.text.contains("i invalidates"), "offered once: \(d.text)")
        XCTAssertFalse(d.state.topPage.bindings(in: d.state).contains { $0.action == .invalidateCDN })
    }

    /// Without a CDN (nothing configured, no CloudFront endpoint to look in), no offer.
    func testNoCDNNoOffer() {
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: siteTransport())
        edit(d)
        XCTAssertTrue(d.text.contains("changed 1, skipped 0, failed 0"), d.text)
        XCTAssertFalse(d.text.contains("invalidat"), d.text)
        XCTAssertTrue(d.world.cloudFront.requests.isEmpty)
    }

    /// Past 100 keys the report carries one prefix, their common one, not cut inside a character.
    func testManyChangedKeysBecomeTheirCommonPrefix() {
        let keys = (0..<101).map { "static/caf\u{E9}/\($0).css" }
        XCTAssertEqual(InvalidationRun.targets(changed: keys), [.prefix("static/caf\u{E9}/")])
        XCTAssertEqual(InvalidationRun.targets(changed: Array(keys.prefix(100))).count, 100)
        // é (C3 A9) and è (C3 A8) share a byte, not a character.
        XCTAssertEqual(InvalidationRun.targets(changed: keys + ["static/caf\u{E8}"]), [.prefix("static/caf")])
    }
}
