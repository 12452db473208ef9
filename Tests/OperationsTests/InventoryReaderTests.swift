import Foundation
import XCTest
@testable import Operations

final class InventoryReaderTests: XCTestCase {
    private func records(_ text: String, pieces: Int = 1) throws -> [([String], Bool)] {
        try records(Array(text.utf8), pieces: pieces).map { ($0.0.map { $0 ?? "<not UTF-8>" }, $0.1) }
    }

    private func records(_ bytes: [UInt8], pieces: Int = 1) throws -> [([String?], Bool)] {
        var got: [([String?], Bool)] = []
        let reader = CSVRecordReader(what: "test") { got.append(($0.strings, $0.wellFormed)) }
        // Fed in pieces of `pieces` bytes: a record, a field, a quote pair cut anywhere.
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + pieces)
            try bytes[i..<end].withUnsafeBytes { try reader.push($0) }
            i = end
        }
        try reader.finish()
        return got
    }

    func testQuotedFieldsKeepCommasNewlinesAndDoubledQuotesWhereverTheInputIsCut() throws {
        let text = "\"b\",\"a,b\",\"say \"\"hi\"\"\"\r\n\"b\",\"two\nlines\",\"\"\nplain,x,\n"
        for piece in [1, 2, 3, 7, 1000] {
            let got = try records(text, pieces: piece)
            XCTAssertEqual(got.map { $0.0 }, [["b", "a,b", "say \"hi\""], ["b", "two\nlines", ""], ["plain", "x", ""]])
            XCTAssertTrue(got.allSatisfy { $0.1 }, "piece \(piece)")
        }
    }

    func testBrokenQuotingAndBadUTF8AreMarkedAndALastLineWithoutNewlineCounts() throws {
        XCTAssertEqual(try records("\"a\"x,b\n").map { $0.1 }, [false], "text after a closing quote")
        XCTAssertEqual(try records("a\"b,c\n").map { $0.1 }, [false], "a quote inside an unquoted field")
        XCTAssertEqual(try records("\"open,c\n").map { $0.1 }, [false], "a quote never closed")
        let bad = Array("\"k".utf8) + [0xFF] + Array("\",\"ok\"\n".utf8)
        let got = try records(bad, pieces: 2)
        XCTAssertEqual(got.count, 1)
        XCTAssertEqual(got.first?.0, [nil, "ok"], "not UTF-8: no text (U+FFFD would be another key)")
        XCTAssertEqual(try records("\"a\",\"b\"").map { $0.0 }, [["a", "b"]])
        XCTAssertEqual(try records("\n\n").count, 0, "blank lines are not records")
    }

    func testAnUnclosedQuoteCannotGrowARecordWithoutBound() throws {
        let reader = CSVRecordReader(what: "s3://d/f.csv.gz") { _ in XCTFail("no record") }
        let chunk = [UInt8](repeating: 0x61, count: 64 << 10)
        XCTAssertThrowsError(try {
            try [UInt8(ascii: "\"")].withUnsafeBytes { try reader.push($0) }
            for _ in 0..<20 { try chunk.withUnsafeBytes { try reader.push($0) } }
        }()) { XCTAssertTrue(String(describing: $0).contains("longer than 1048576 bytes")) }
    }

    private func gzip(_ text: String) throws -> Data {
        let path = NSTemporaryDirectory() + "pail-inv-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let gz = try Gzip.compressFile(path)
        defer { unlink(gz) }
        return try Data(contentsOf: URL(fileURLWithPath: gz))
    }

    private func inflate(_ data: Data, pieces: Int) throws -> Data {
        var out = Data()
        let stream = try InflateStream(what: "s3://d/f.csv.gz") { out.append(contentsOf: $0) }
        var i = 0
        while i < data.count {
            let end = min(data.count, i + pieces)
            try data[i..<end].withUnsafeBytes { try stream.push($0) }
            i = end
        }
        try stream.finish()
        return out
    }

    func testInflatingInPiecesGivesTheWholeTextAndMembersFollowOneAnother() throws {
        let text = (0..<50_000).map { "\"bucket\",\"logs/\($0).txt\",\"\($0)\"\n" }.joined()
        let gz = try gzip(text)
        for piece in [1 << 20, 4096, 333] {
            XCTAssertEqual(try inflate(gz, pieces: piece), Data(text.utf8))
        }
        let two = try gzip("first\n") + (try gzip("second\n"))
        XCTAssertEqual(try inflate(two, pieces: 5), Data("first\nsecond\n".utf8), "cat a.gz b.gz")
    }

    func testATruncatedOrDamagedStreamIsAnErrorNotAShortFile() throws {
        let gz = try gzip(String(repeating: "row\n", count: 10_000))
        XCTAssertThrowsError(try inflate(gz.dropLast(8), pieces: 100)) {
            XCTAssertTrue(String(describing: $0).contains("truncated"), "\($0)")
        }
        var damaged = gz
        damaged[damaged.count / 2] ^= 0xFF
        damaged[damaged.count / 2 + 1] ^= 0xFF
        XCTAssertThrowsError(try inflate(damaged, pieces: 100))
        XCTAssertThrowsError(try inflate(Data("not gzip at all".utf8), pieces: 100)) {
            XCTAssertTrue(String(describing: $0).contains("not valid gzip"), "\($0)")
        }
    }

    func testLocatingReportsByTheirFolderNames() throws {
        let root = try InventoryReport.locate("s3://dest/inv/src/cfg/")
        XCTAssertEqual(root.bucket, "dest"); XCTAssertEqual(root.root, "inv/src/cfg/"); XCTAssertNil(root.timestamp)
        let one = try InventoryReport.locate("s3://dest/inv/src/cfg/2026-11-30T01-00Z/manifest.json")
        XCTAssertEqual(one.root, "inv/src/cfg/"); XCTAssertEqual(one.timestamp, "2026-11-30T01-00Z")
        XCTAssertThrowsError(try InventoryReport.locate("s3://dest/"))
        XCTAssertTrue(InventoryReport.isTimestamp("2016-11-06T21-32Z"))
        XCTAssertFalse(InventoryReport.isTimestamp("2016-11-06T21:32Z"))
        XCTAssertFalse(InventoryReport.isTimestamp("data"))
        XCTAssertEqual(InventoryReport.dateText("2016-11-06T21-32Z"), "2016-11-06 21:32 UTC")
    }

    func testManifestFieldsAndFormats() throws {
        let json = """
            {"sourceBucket":"src","fileFormat":"CSV","fileSchema":"Bucket, Key, Size, ETag",
             "creationTimestamp":"1514944800000",
             "files":[{"key":"inv/src/cfg/data/a.csv.gz","size":12,"MD5checksum":"F11166069F1990ABEB9C97ACE9CDFABC"}]}
            """
        let m = try InventoryManifest.parse(Data(json.utf8), what: "m")
        XCTAssertEqual(m.fields, ["Bucket", "Key", "Size", "ETag"])
        XCTAssertEqual(m.files.first?.md5, "f11166069f1990abeb9c97ace9cdfabc")
        XCTAssertEqual(m.creation, Date(timeIntervalSince1970: 1_514_944_800))
        let columns = try InventoryColumns(fields: m.fields, what: "m")
        XCTAssertEqual([columns.bucket, columns.key, columns.size, columns.etag], [0, 1, 2, 3])
        XCTAssertThrowsError(try InventoryManifest.parse(Data("[]".utf8), what: "m"))
        XCTAssertThrowsError(try InventoryManifest.parse(Data(json.replacingOccurrences(of: "F111", with: "Z111").utf8),
                                                         what: "m"), "an MD5 that is not hex")
        XCTAssertThrowsError(try InventoryColumns(fields: ["Bucket", "Key"], what: "m"))
    }
}
