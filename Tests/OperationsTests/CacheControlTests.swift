import XCTest
@testable import Operations

final class CacheControlTests: XCTestCase {
    func problem(_ value: String) -> CacheControl.Problem? {
        do { try CacheControl.parse(value); return nil } catch { return error as? CacheControl.Problem }
    }

    func testGoodValuesParse() throws {
        let d = try CacheControl.parse("public, max-age=31536000, immutable")
        XCTAssertEqual(d.map(\.name), ["public", "max-age", "immutable"])
        XCTAssertEqual(d[1].argument, "31536000")
        XCTAssertNil(problem("no-cache"))
        XCTAssertNil(problem("private=\"set-cookie\", max-age=0"))
        XCTAssertNil(problem("Max-Age=60,must-revalidate"))
        XCTAssertNil(problem("no-store"))
    }

    func testTyposAreErrorsWithTheirColumn() {
        XCTAssertEqual(problem("max-age=3153600O"),
                       .init(column: 16, reason: "max-age needs a whole number of seconds, and \"O\" is not a digit"))
        XCTAssertEqual(problem("public, maxage=60")?.column, 9)
        XCTAssertTrue(problem("public, maxage=60")!.reason.contains("did you mean max-age?"))
        XCTAssertEqual(problem("max-age")?.reason, "max-age needs a number of seconds (max-age=3600)")
        XCTAssertEqual(problem("max-age=, public")?.column, 9)
        XCTAssertEqual(problem("no-store, max-age=60"), .init(column: 11, reason: "no-store contradicts max-age"))
        XCTAssertEqual(problem("max-age=60, no-store")?.reason, "no-store contradicts max-age")
        XCTAssertEqual(problem("public, private")?.column, 9)
        XCTAssertEqual(problem("max-age=60, max-age=70")?.column, 13)
        XCTAssertEqual(problem("public=1")?.reason, "public takes no value")
        XCTAssertEqual(problem("max-age=60,")?.reason, "a comma ends the value")
        XCTAssertEqual(problem("public,, max-age=60")?.column, 8)
        XCTAssertEqual(problem("max-age=60 public")?.reason, "expected a comma between directives")
        XCTAssertEqual(problem("max-age=-1")?.column, 9)
        XCTAssertEqual(problem("max-age=60, cdn-cache=1")?.reason, "unknown directive \"cdn-cache\"")
        XCTAssertEqual(problem("max-age=60, cdn-cache=1")?.description,
                       "Cache-Control: unknown directive \"cdn-cache\" at column 13")
    }

    func testContentTypeIsWellFormedAndMatchesTheExtension() {
        XCTAssertNil(ContentTypes.problem("text/css; charset=utf-8"))
        XCTAssertNil(ContentTypes.problem("image/svg+xml"))
        XCTAssertNotNil(ContentTypes.problem("text"))
        XCTAssertNotNil(ContentTypes.problem("text/"))
        XCTAssertNotNil(ContentTypes.problem("text/css charset=utf-8"))
        XCTAssertNotNil(ContentTypes.problem("text/css; charset"))
        XCTAssertEqual(ContentTypes.mismatch("text/javascirpt", forKey: "static/app.js"), "text/javascript")
        XCTAssertEqual(ContentTypes.mismatch("image/png", forKey: "static/site.css"), "text/css")
        XCTAssertNil(ContentTypes.mismatch("TEXT/CSS", forKey: "static/site.css"))
        XCTAssertNil(ContentTypes.mismatch("application/javascript", forKey: "a.js"), "an alias of the same type")
        XCTAssertNil(ContentTypes.mismatch("image/png", forKey: "README"), "no extension: nothing to match")
    }
}
