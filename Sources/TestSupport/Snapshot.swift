import Browser
import Foundation
import XCTest

/// Compares a rendered screen with `Snapshots/NAME.txt` beside the calling test file.
/// PAIL_RECORD_SNAPSHOTS=1 writes the file anew instead (as in Tests/BrowserTests).
public func assertSnapshot(_ screen: Screen, named name: String, file: StaticString = #filePath,
                           line: UInt = #line) {
    assertSnapshot(screen.text, named: name, file: file, line: line)
}

/// The same for any text (a screen's text, a list of requests).
public func assertSnapshot(_ text: String, named name: String, file: StaticString = #filePath,
                           line: UInt = #line) {
    let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = dir.appendingPathComponent("\(name).txt")
    let actual = text + "\n"
    if ProcessInfo.processInfo.environment["PAIL_RECORD_SNAPSHOTS"] != nil {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return XCTFail("no snapshot \(url.path); run with PAIL_RECORD_SNAPSHOTS=1 to record it", file: file, line: line)
    }
    XCTAssertEqual(actual, expected, "snapshot \(name) differs", file: file, line: line)
}
