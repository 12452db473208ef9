import Browser
import Foundation
import Operations
import S3
import TestSupport
import XCTest

final class URLSessionTests: XCTestCase {
    func testTheURLMenuOffersTheConfiguredCDNFirstAndCopiesIt() throws {
        let file = try SiteFixture.config("""
            [bucket site]
            custom_domain = cdn.example.com
            cdn_origin_path = public/
            url_form = cdn
            presign_expires = 2h
            """)
        let (config, warning) = PailConfig.load(environment: ["PAIL_CONFIG": file.path])
        XCTAssertNil(warning)
        let t = ScriptedTransport()
        t.on("HEAD", path: "/site/public/page.html") { _ in S3Answers.head() }
        t.on("GET", path: "/site", having: ["list-type"]) { r in
            r.queryValue("prefix") == "public/"
                ? S3Answers.listObjectsV2(bucket: "site", prefix: "public/", objects: [.init("public/page.html")])
                : S3Answers.listObjectsV2(bucket: "site", prefix: "", commonPrefixes: ["public/"])
        }
        let d = BrowserDriver(bucket: "site", prefix: "public/", width: 120, height: 40, config: config, transport: t)
        d.runUntilIdle()
        d.press(.down, .char("y"))
        let lines = ScreenText.menuLines(d.text)
        // url_form = cdn puts the CDN first; cdn_origin_path is the part of the key the CDN
        // does not show; presign_expires adds its lifetime before the usual ones.
        XCTAssertEqual(Array(lines.prefix(3)), [
            "1 CDN https://cdn.example.com/page.html",
            "2 s3 URI s3://site/public/page.html",
            "3 HTTPS https://s3.test.example/site/public/page.html",
        ], d.text)
        XCTAssertEqual(lines.map { $0.split(separator: " ").prefix(3).joined(separator: " ") }.dropFirst(3), [
            "4 presigned 2h", "5 presigned 1h", "6 presigned 1d", "7 presigned 7d", "8 presigned …",
            "9 check public",
        ], d.text)
        // No request for the menu: presigning is local.
        XCTAssertEqual(t.requests.filter { $0.path.hasBytePrefix("/site/public/page.html") }.map(\.method), ["HEAD"])
        assertSnapshot(d.screen, named: "url-menu-cdn-120x40")

        d.press(.char("1"))
        let osc = d.world.terminalWrites
        XCTAssertEqual(osc.count, 1)
        let encoded = Data("https://cdn.example.com/page.html".utf8).base64EncodedString()
        XCTAssertEqual(osc.first, "\u{1B}]52;c;\(encoded)\u{07}")
        XCTAssertTrue(d.text.contains("copied (OSC 52): https://cdn.example.com/page.html"), d.text)

        // The configured lifetime's presigned URL, signed for 2 hours with the client's keys.
        d.press(.char("y"), .char("4"))
        XCTAssertEqual(d.world.terminalWrites.count, 2)
        let url = decodeOSC52(d.world.terminalWrites.last ?? "") ?? ""
        XCTAssertTrue(url.hasPrefix("https://s3.test.example/site/public/page.html?"
                                    + "X-Amz-Algorithm=AWS4-HMAC-SHA256"), url)
        XCTAssertTrue(url.contains("X-Amz-Expires=7200"), url)
        XCTAssertTrue(url.contains("X-Amz-Credential=AKIDTEST%2F20261118%2Fus-east-1%2Fs3%2Faws4_request"), url)
    }

    func decodeOSC52(_ write: String) -> String? {
        guard write.hasPrefix("\u{1B}]52;c;"), write.hasSuffix("\u{07}") else { return nil }
        let body = write.dropFirst("\u{1B}]52;c;".count).dropLast()
        return Data(base64Encoded: String(body)).map { String(decoding: $0, as: UTF8.self) }
    }

    func testAKeyWithControlCharactersIsOfferedPercentEncoded() throws {
        let t = ScriptedTransport()
        t.on("GET", path: "/site", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "site", prefix: "", objects: [.init("a\u{1B}b.txt")])
        }
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        d.press(.char("y"))
        let lines = ScreenText.menuLines(d.text)
        XCTAssertEqual(lines.first, "1 s3 URI s3://site/a%1Bb.txt", d.text)
        XCTAssertTrue(lines.contains("2 HTTPS https://s3.test.example/site/a%1Bb.txt"), d.text)
        d.press(.char("1"))
        XCTAssertEqual(d.world.terminalWrites.first.flatMap(decodeOSC52), "s3://site/a%1Bb.txt")
    }

    func testThePublicURLCheckComparesWhatTheCDNServesWithTheStoredHeaders() throws {
        var config = PailConfig()
        var settings = BucketSettings()
        settings.cdnDomain = "cdn.example.com"
        config.buckets["site"] = settings
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, config: config, transport: t)
        d.world.answerPublicHEAD { _ in
            HTTPResponse(status: 200, headers: [
                ("Cache-Control", "public, max-age=3600"), ("Content-Type", "text/html"),
                ("ETag", "\"0123456789abcdef0123456789abcdef\""), ("Content-Length", "2048"),
                ("Content-Encoding", "gzip"), ("X-Cache", "Hit from cloudfront"), ("Age", "42"),
            ])
        }
        d.runUntilIdle()
        d.press(.char("y"))
        XCTAssertEqual(ScreenText.menuLines(d.text).last,
                       "8 check public URL what the CDN or public URL serves, beside the stored headers", d.text)
        t.forgetRequests()
        d.press(.char("8"))
        // One unsigned HEAD on the CDN URL, one HeadObject for what is stored.
        XCTAssertEqual(d.world.publicHEADs.last, "https://cdn.example.com/index.html")
        XCTAssertEqual(t.requests.map(\.line), ["HEAD /site/index.html"])
        let text = d.text
        XCTAssertTrue(text.contains("What https://cdn.example.com/index.html serves"), text)
        XCTAssertTrue(text.contains("HTTP 200"), text)
        func row(_ name: String) -> String? {
            text.split(separator: "\n").map(String.init).first {
                $0.contains("≠ \(name)") || $0.contains("  \(name)")
            }
        }
        // Only what differs is flagged: Cache-Control and Content-Encoding, not the rest.
        XCTAssertTrue(row("Cache-Control")?.contains("≠ Cache-Control   public, max-age=3600") ?? false, text)
        XCTAssertTrue(row("Cache-Control")?.contains("public, max-age=60 ") ?? false, text)
        XCTAssertTrue(row("Content-Encoding")?.contains("≠ Content-Encoding") ?? false, text)
        XCTAssertTrue(row("Content-Encoding")?.contains("gzip") ?? false, text)
        XCTAssertFalse(row("Content-Type")?.contains("≠") ?? true, text)
        XCTAssertFalse(row("ETag")?.contains("≠") ?? true, text)
        XCTAssertFalse(row("Content-Length")?.contains("≠") ?? true, text)
        XCTAssertTrue(row("X-Cache")?.contains("Hit from cloudfront") ?? false, text)
        XCTAssertTrue(row("Age")?.contains("42") ?? false, text)
        assertSnapshot(d.screen, named: "public-check-120x40")
    }

    func testWithoutACDNThePublicCheckHEADsTheEndpointURL() throws {
        let t = SiteFixture.transport()
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.world.answerPublicHEAD { _ in HTTPResponse(status: 403) }
        d.runUntilIdle()
        d.press(.char("y"))
        let check = ScreenText.menuLines(d.text).first { $0.contains("check public URL") }
        d.press(.char(check?.first ?? "?"))
        XCTAssertEqual(d.world.publicHEADs.last, "https://s3.test.example/site/index.html")
        XCTAssertTrue(d.text.contains("HTTP 403"), d.text)
    }
}
