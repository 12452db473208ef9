import Browser
import Foundation
import Operations
import TestSupport
import XCTest

final class UploadRulesSessionTests: XCTestCase {
    /// The upload prompt says which header rules of the configuration file uploads into this
    /// bucket get, before Enter: those for the bucket and those for every bucket, not others'.
    func testTheUploadPromptShowsTheHeaderRulesThatApply() throws {
        let file = try SiteFixture.config("""
            [upload static/**]
            cache_control = public, max-age=31536000

            [upload s3://site/media/**/*.jpg]
            cache_control = public, max-age=86400
            metadata.origin = django

            [upload s3://other/**]
            content_type = text/plain
            """)
        let (config, warning) = PailConfig.load(environment: ["PAIL_CONFIG": file.path])
        XCTAssertNil(warning)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, config: config,
                              transport: SiteFixture.transport())
        d.runUntilIdle()
        d.press(.down, .char("U"))
        XCTAssertTrue(d.text.contains("upload to s3://site/"), d.text)
        XCTAssertTrue(d.text.contains("Header rules that apply (configuration file)"), d.text)
        XCTAssertTrue(d.text.contains("static/** → Cache-Control: public, max-age=31536000"), d.text)
        let media = "media/**/*.jpg → Cache-Control: public, max-age=86400, x-amz-meta-origin: django"
        XCTAssertTrue(d.text.contains(media), d.text)
        XCTAssertFalse(d.text.contains("text/plain"), "another bucket's rule is not said")
    }
}
