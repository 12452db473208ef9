import Foundation
import XCTest
import Operations
import S3

final class JSONWriterTests: XCTestCase {
    /// JSON Lines (`ls --json`, `dupes --json`) and JSON documents escape a key alike: the
    /// characters a terminal acts on (C1 controls, bidi overrides, zero-width) never go out raw.
    func testJSONLinesEscapeKeysAsTheJSONDocumentsDo() {
        let keys = ["plain/key.jpg", "quote\"back\\slash", "nl\ntab\tcr\r", "\u{1}\u{1F}\u{7F}", "c1\u{85}\u{9B}",
                    "rtl\u{202E}gpj.exe", "zw\u{200B}\u{2028}\u{2066}\u{FEFF}", "café/日本/🎉"]
        for key in keys {
            var j = JSONWriter()
            j.field("key", key)
            XCTAssertEqual(j.line, "{\"key\":" + JSONValue.quote(key) + "}\n")
            XCTAssertEqual(try JSONValue.parse(JSONValue.quote(key)), .string(key),
                           "round trip of \(key.debugDescription)")
        }
        XCTAssertEqual(JSONValue.quote("a\u{202E}b\u{85}\u{1}"), #""a\u202eb\u0085\u0001""#)
        XCTAssertEqual(JSONValue.quote("q\"\\\n"), #""q\"\\\n""#)
    }

    func testDatesArePaddedAsBefore() {
        let d = Date(timeIntervalSince1970: 946_782_245.9)  // 2000-01-02T03:04:05.9Z
        XCTAssertEqual(Timestamps.formatISO8601(d), "2000-01-02T03:04:05Z")
        XCTAssertEqual(Timestamps.formatLocal(d).count, 19)
    }
}
