import Foundation
import XCTest
@testable import S3

final class TimestampsTests: XCTestCase {
    func parsed(bytes text: String) -> Date? {
        Array(text.utf8).withUnsafeBufferPointer { Timestamps.parseISO8601(bytes: $0) }
    }

    func testISO8601DatesFromStringsAndFromBytesAreTheSameSecondsInUTC() {
        let cases: [(String, Double)] = [
            ("1970-01-01T00:00:00.000Z", 0), ("2000-02-29T12:00:00Z", 951_825_600),
            ("2026-12-31T23:59:59.999Z", 1_798_761_599.999), ("1900-03-01T01:02:03Z", -2_203_887_477),
            ("2100-01-01T00:00:00.5Z", 4_102_444_800.5), ("2026-11-30 08:00:00", 1_796_025_600),
            ("1969-12-31T23:59:59Z", -1),
            // Past the end of a month, or hour 24, as timegm normalises them.
            ("2026-02-31T00:00:00Z", 1_772_496_000), ("2026-11-30T24:00:00Z", 1_796_083_200),
        ]
        for (text, seconds) in cases {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(Timestamps.parseISO8601(text)?.timeIntervalSince1970 ?? .nan,
                           date.timeIntervalSince1970, accuracy: 1e-6, text)
            XCTAssertEqual(parsed(bytes: text), Timestamps.parseISO8601(text), text)
        }
    }

    func testAMonthOrDayOutOfRangeOrAShortOrNonDigitFieldIsNoDate() {
        for text in ["2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-32T00:00:00Z",
                     "2026-11-30", "2026-11-30T0a:00:00Z", "2026/11/30T00:00:00Z", "yesterday", ""] {
            XCTAssertNil(Timestamps.parseISO8601(text), text)
            XCTAssertNil(parsed(bytes: text), text)
        }
    }
}
