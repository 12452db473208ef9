import XCTest
@testable import Operations

final class CacheControlSummaryTests: XCTestCase {
    func testDurationsReadAsPeopleSayThem() {
        let h = CacheControlSummary.humanDuration
        XCTAssertEqual(h(31_536_000), "1 y")
        XCTAssertEqual(h(3_153_600), "36 d 12 h", "one digit short of a year reads as 36 days")
        XCTAssertEqual(h(86400), "1 d")
        XCTAssertEqual(h(604_800), "7 d")
        XCTAssertEqual(h(5400), "1 h 30 min")
        XCTAssertEqual(h(60), "1 min")
        XCTAssertEqual(h(45), "45 s")
        XCTAssertEqual(h(0), "0 s")
        XCTAssertEqual(h(100_000), "~1 d 3 h", "what does not fit two units is dropped, and says so")
        XCTAssertEqual(h(63_072_000), "2 y")
    }

    func testEveryDurationDirectiveIsRead() {
        let s = CacheControlSummary(cacheControl:
            "public, max-age=86400, s-maxage=31536000, stale-while-revalidate=60, stale-if-error=604800")
        XCTAssertNil(s.problem)
        XCTAssertEqual(s.durations.map(\.name), ["max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"])
        XCTAssertEqual(s.reading, "max-age 1 d, s-maxage 1 y, stale-while-revalidate 1 min, stale-if-error 7 d")
        XCTAssertNil(CacheControlSummary(cacheControl: "no-cache").reading)
        XCTAssertEqual(CacheControlSummary(cacheControl: "Max-Age=\"3600\"").reading, "max-age 1 h")
    }

    func testAnnotatedValueKeepsWhatWasTypedAndAddsTheReadings() {
        XCTAssertEqual(CacheControlSummary.annotated("max-age=31536000"), "max-age=31536000 (1 y)")
        XCTAssertEqual(CacheControlSummary.annotated("public, max-age=86400, immutable"),
                       "public, max-age=86400 (1 d), immutable")
        XCTAssertEqual(CacheControlSummary.annotated("s-maxage=600,stale-while-revalidate=30"),
                       "s-maxage=600 (10 min),stale-while-revalidate=30 (30 s)")
        XCTAssertEqual(CacheControlSummary.annotated("no-store"), "no-store")
    }

    func testAStoredValueThatIsNotValidStillShowsItsDurationsAndWhy() {
        let s = CacheControlSummary(cacheControl: "no-store, max-age=60")
        XCTAssertEqual(s.problem?.reason, "no-store contradicts max-age")
        XCTAssertEqual(s.reading, "max-age 1 min")
        XCTAssertEqual(CacheControlSummary.annotated("max-age=3153600O"),
                       "max-age=3153600O (not valid: max-age needs a whole number of seconds, "
                       + "and \"O\" is not a digit)")
        XCTAssertEqual(CacheControlSummary(cacheControl: "max-age=99999999999999999999").durations.first?.seconds,
                       Int(Int32.max), "a number past Int reads as very long, not as nothing")
    }

    func testExpiresInThePastIsMarked() {
        let now = Date(timeIntervalSince1970: 1_764_590_400)  // Mon, 01 Dec 2025 12:00:00 GMT
        XCTAssertEqual(CacheControlSummary.expiresReading("Sun, 30 Nov 2025 12:00:00 GMT", now: now),
                       "in the past (1 d ago)")
        XCTAssertEqual(CacheControlSummary.expiresReading("Tue, 01 Dec 2026 12:00:00 GMT", now: now), "in 1 y")
        XCTAssertEqual(CacheControlSummary.expiresReading("Mon, 01 Dec 2025 12:00:00 GMT", now: now),
                       "in the past (0 s ago)", "an Expires equal to now is already stale")
        XCTAssertEqual(CacheControlSummary.expiresReading("0", now: now), "not a date: caches treat it as expired")
        XCTAssertEqual(CacheControlSummary.reading(cacheControl: "public, max-age=31536000",
                                                   expires: "Sun, 30 Nov 2025 11:00:00 GMT", now: now),
                       "max-age 1 y; Expires in the past (1 d 1 h ago); max-age applies instead")
        XCTAssertEqual(CacheControlSummary.reading(cacheControl: nil, expires: "Sun, 30 Nov 2025 12:00:00 GMT",
                                                   now: now), "Expires in the past (1 d ago)")
        XCTAssertNil(CacheControlSummary.reading(cacheControl: "public", expires: nil, now: now))
    }
}
