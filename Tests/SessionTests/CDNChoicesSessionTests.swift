import Browser
import Foundation
import Operations
import S3
import TestSupport
import XCTest

final class CDNChoicesSessionTests: XCTestCase {
    func testTheURLMenuOffersAnR2DevelopmentURLAndThePublicCheckHEADsIt() throws {
        var config = PailConfig()
        var settings = BucketSettings()
        settings.r2DevURL = "https://pub-0123456789abcdef0123456789abcdef.r2.dev"
        config.buckets["site"] = settings
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, config: config, transport: t)
        d.world.answerPublicHEAD { _ in HTTPResponse(status: 200, headers: [("Cache-Control", "public, max-age=60")]) }
        d.runUntilIdle()
        d.press(.char("y"))
        let lines = ScreenText.menuLines(d.text)
        // No custom domain: the CDN line says how to configure one, the R2 URL is offered beside it.
        XCTAssertTrue(lines.contains { $0.hasPrefix("3 CDN ") && $0.contains("cdn_domain") }, d.text)
        XCTAssertTrue(lines.contains("4 r2.dev https://pub-0123456789abcdef0123456789abcdef.r2.dev/index.html"),
                      d.text)
        let check = try XCTUnwrap(lines.first { $0.contains("check public URL") })
        d.press(.char(try XCTUnwrap(check.first)))
        XCTAssertEqual(d.world.publicHEADs.last, "https://pub-0123456789abcdef0123456789abcdef.r2.dev/index.html")
        XCTAssertTrue(d.text.contains("What https://pub-0123456789abcdef0123456789abcdef.r2.dev/index.html serves"),
                      d.text)
    }
}
