import XCTest
@testable import Operations

final class TerminalSafeTests: XCTestCase {
    func testTerminalSafeEscapesControls() {
        XCTAssertEqual(TerminalSafe.escape("a\u{1B}[31mb\tc\nd\u{7F}\u{9B}e"), "a\\x1b[31mb\\tc\\nd\\x7f\\x9be")
        XCTAssertEqual(TerminalSafe.escape("plain 漢字 🎉"), "plain 漢字 🎉")
        XCTAssertEqual(TerminalSafe.escape("rtl\u{202E}x"), "rtl\\u{202e}x")
    }
}
