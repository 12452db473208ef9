import Foundation
import XCTest
@testable import Operations
@testable import S3

/// Inventory rows as AWS writes them, through the byte CSV reader and the row filter, fed in
/// pieces of every size so that a field, an escape or a "%XX" is cut anywhere.
final class InventoryRowFilterTests: XCTestCase {
    private let fields = ["Bucket", "Key", "Size", "LastModifiedDate", "ETag", "StorageClass"]

    private func read(_ text: String, prefix: String = "", needs: ObjectFields = .all, pieces: Int,
                      drops: InventoryRowFilter.Drops = .init()) throws -> [ObjectSummary] {
        var got: [ObjectSummary] = []
        let columns = try InventoryColumns(fields: fields, what: "t")
        let filter = InventoryRowFilter(columns: columns, sourceBucket: "src", prefix: prefix, file: "data/f.csv.gz",
                                        drops: drops, needs: needs) { got += $0 }
        let reader = CSVRecordReader(what: "t") { try filter.record($0) }
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + pieces)
            try bytes[i..<end].withUnsafeBytes { try reader.push($0) }
            i = end
        }
        try reader.finish()
        try filter.flush()
        return got
    }

    func testAWSRowsDecodeQuotedFieldsEscapedQuotesAndFormEncodedKeys() throws {
        let text = "\"src\",\"photos%2F2024%2Fa+b%2Bc.jpg\",\"12\",\"2026-11-30T12:34:56.500Z\",\"abc\","
            + "\"STANDARD\"\r\n"
            + "\"src\",\"caf%C3%A9%2F%E2%82%AC+%F0%9F%98%80.txt\",\"3\",\"2024-02-29T00:00:00.000Z\",\"e\","
            + "\"GLACIER\"\r\n"
            + "\"src\",\"say \"\"hi\"\",now.txt\",\"0\",\"1999-12-31T23:59:59Z\",\"\",\"\"\r\n"
        for pieces in [1, 2, 5, 17, 4096] {
            let got = try read(text, pieces: pieces)
            XCTAssertEqual(got.map(\.key),
                           ["photos/2024/a b+c.jpg", "caf\u{E9}/\u{20AC} \u{1F600}.txt", "say \"hi\",now.txt"],
                           "pieces \(pieces)")
            XCTAssertEqual(got.map(\.size), [12, 3, 0])
            XCTAssertEqual(got[0].lastModified, Timestamps.parseISO8601("2026-11-30T12:34:56.500Z"))
            XCTAssertEqual(got[1].lastModified, Timestamps.parseISO8601("2024-02-29T00:00:00.000Z"))
            XCTAssertEqual(got[2].lastModified, Timestamps.parseISO8601("1999-12-31T23:59:59Z"))
            XCTAssertEqual(got.map(\.etag), ["abc", "e", ""])
            XCTAssertEqual(got.map(\.storageClass), ["STANDARD", "GLACIER", nil])
        }
    }

    func testOnlyTheNeededFieldsAreDecodedAndThePrefixIsTestedOnTheDecodedBytes() throws {
        let text = "\"src\",\"a%2Fx\",\"1\",\"2026-11-30T00:00:00.000Z\",\"abc\",\"STANDARD\"\n"
            + "\"src\",\"a%2Fy\",\"2\",\"2026-11-30T00:00:00.000Z\",\"abc\",\"STANDARD\"\n"
            + "\"src\",\"ab%2Fz\",\"4\",\"2026-11-30T00:00:00.000Z\",\"abc\",\"STANDARD\"\n"
        let got = try read(text, prefix: "a/", needs: [.storageClass], pieces: 3)
        XCTAssertEqual(got.map(\.key), ["a/x", "a/y"])
        XCTAssertEqual(got.map(\.storageClass), ["STANDARD", "STANDARD"])
        XCTAssertEqual(got.map(\.etag), ["", ""])
        XCTAssertEqual(got.map(\.lastModified), [nil, nil])
    }

    func testATruncatedLastRowAndARowWithTooFewFieldsAreCountedDrops() throws {
        let drops = InventoryRowFilter.Drops()
        let text = "\"src\",\"ok.txt\",\"5\",\"2026-11-30T00:00:00.000Z\",\"e\",\"STANDARD\"\n"
            + "\"src\",\"short.txt\",\"1\"\n"
            + "\"src\",\"bad%ZZ\",\"1\",\"2026-11-30T00:00:00.000Z\",\"e\",\"STANDARD\"\n"
            + "\"src\",\"half%2\",\"1\",\"2026-11-30T00:00:00.000Z\",\"e\",\"STANDARD\"\n"
            + "\"src\",\"bad%FF\",\"1\",\"2026-11-30T00:00:00.000Z\",\"e\",\"STANDARD\"\n"
            + "\"src\",\"big.txt\",\"99999999999999999999\",\"2026-11-30T00:00:00.000Z\",\"e\",\"STANDARD\"\n"
            + "\"src\",\"cut.txt\",\"7\",\"2026-11-30T00:0"
        let got = try read(text, pieces: 4, drops: drops)
        XCTAssertEqual(got.map(\.key), ["ok.txt"])
        XCTAssertEqual(drops.malformed, 2, "too few fields; the last row cut inside a quote")
        XCTAssertEqual(drops.undecodable, 3, "%ZZ, a cut %2, and %FF (not UTF-8 once decoded)")
        XCTAssertEqual(drops.badSize, 1)
        XCTAssertEqual(drops.warning, "dropped 6 inventory rows: 2 malformed (wrong field count, quoting or UTF-8), "
                       + "3 with a key that does not URL-decode exactly, 1 without a valid size "
                       + "(first at data/f.csv.gz record 2)")
    }

    func testRawBytesThatAreNotUTF8AreMalformedAndACRLFFileReadsLikeLF() throws {
        let drops = InventoryRowFilter.Drops()
        var bytes = Array("\"src\",\"k".utf8) + [0xC3] + Array("\",\"1\",\"\",\"\",\"\"\r\n".utf8)
        bytes += Array("\"src\",\"fine\",\"2\",\"\",\"\",\"\"\r\n".utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertNotEqual(Array(text.utf8), bytes, "the fixture must hold a lone lead byte")
        var got: [ObjectSummary] = []
        let filter = InventoryRowFilter(columns: try InventoryColumns(fields: fields, what: "t"), sourceBucket: "src",
                                        prefix: "", file: "f", drops: drops) { got += $0 }
        let reader = CSVRecordReader(what: "t") { try filter.record($0) }
        try bytes.withUnsafeBytes { try reader.push($0) }
        try reader.finish()
        try filter.flush()
        XCTAssertEqual(got.map(\.key), ["fine"])
        XCTAssertNil(got[0].lastModified)
        XCTAssertEqual(drops.malformed, 1)
    }
}
