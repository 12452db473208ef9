import Foundation
import XCTest
@testable import Operations

final class GzipTests: XCTestCase {
    func testCompressedFilesUnpackToTheSameBytesAndAreDeterministic() throws {
        let text = Data((0..<200_000).map { "line \($0) body{color:red}\n" }.joined().utf8)
        let path = NSTemporaryDirectory() + "pail-gzip-test-\(getpid()).css"
        try text.write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let first = try Gzip.compressFile(path), second = try Gzip.compressFile(path)
        defer { unlink(first); unlink(second) }
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        XCTAssertEqual(a, b, "no name or time stamp: the same input gives the same bytes")
        XCTAssertEqual(Array(a.prefix(2)), [0x1f, 0x8b], "gzip framing")
        XCTAssertLessThan(a.count, text.count / 5)
        XCTAssertEqual(Gzip.decompress(a, limit: .max), text)
        var st = stat()
        XCTAssertEqual(stat(first, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600, "the temporary file is the user's alone")
    }

    func testACutStreamYieldsItsStartAndPlainBytesAreNotGzip() throws {
        let text = Data(String(repeating: "0123456789abcdef", count: 50_000).utf8)
        let path = NSTemporaryDirectory() + "pail-gzip-cut-\(getpid()).txt"
        try text.write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let gz = try Gzip.compressFile(path)
        defer { unlink(gz) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: gz))
        let start = try XCTUnwrap(Gzip.decompress(whole.prefix(whole.count / 2), limit: .max))
        XCTAssertFalse(start.isEmpty)
        XCTAssertEqual(start, text.prefix(start.count))
        XCTAssertEqual(Gzip.decompress(whole, limit: 1000)?.count, 1000, "bounded by the limit")
        XCTAssertNil(Gzip.decompress(Data("plain text, not gzip".utf8), limit: 100))
    }
}
