import Foundation
import XCTest
@testable import Imaging

/// The committed fixture images (Fixtures/make_fixtures.py writes them).
func fixture(_ name: String, file: StaticString = #filePath) throws -> Data {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try Data(contentsOf: url)
}

func decodeFixture(_ name: String) throws -> DecodedImage { try ImageDecoder.decode(try fixture(name)) }

/// The error `body` throws, as an ImageError (a failure when it throws none or another).
func imageError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> ImageError? {
    do {
        _ = try body()
        XCTFail("no error", file: file, line: line)
    } catch let error as ImageError {
        XCTAssertFalse(error.message.contains("\n"), "one line: \(error.message)", file: file, line: line)
        return error
    } catch {
        XCTFail("not an ImageError: \(error)", file: file, line: line)
    }
    return nil
}

/// Compares bytes with Snapshots/NAME, kept next to the tests; PAIL_RECORD_SNAPSHOTS=1
/// writes the file anew instead.
func assertSnapshot(_ bytes: [UInt8], named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = dir.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["PAIL_RECORD_SNAPSHOTS"] != nil {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? Data(bytes + [10]).write(to: url)
        return
    }
    guard let expected = try? Data(contentsOf: url) else {
        return XCTFail("no snapshot \(url.path); run with PAIL_RECORD_SNAPSHOTS=1 to record it", file: file, line: line)
    }
    XCTAssertEqual(String(decoding: bytes + [10], as: UTF8.self), String(decoding: expected, as: UTF8.self),
                   "snapshot \(name) differs", file: file, line: line)
}

let esc = "\u{1B}"
