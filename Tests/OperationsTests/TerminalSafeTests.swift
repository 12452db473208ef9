import XCTest
@testable import Operations

final class TerminalSafeTests: XCTestCase {
    func testTerminalSafeEscapesControls() {
        XCTAssertEqual(TerminalSafe.escape("a\u{1B}[31mb\tc\nd\u{7F}\u{9B}e"), "a\\x1b[31mb\\tc\\nd\\x7f\\x9be")
        XCTAssertEqual(TerminalSafe.escape("plain 漢字 🎉 café"), "plain 漢字 🎉 café")
        XCTAssertEqual(TerminalSafe.escape("rtl\u{202E}x"), "rtl\\u{202e}x")
    }

    func testInvisibleCharactersAreDrawnEscaped() {
        // Zero-width space, joiners, marks, word joiner, invisible operators, isolates, BOM,
        // soft hyphen, Arabic letter mark, a tag character: all drawn as escapes.
        let cases: [(String, String)] = [
            ("a\u{200B}b", "a\\u{200b}b"), ("a\u{200C}\u{200D}b", "a\\u{200c}\\u{200d}b"),
            ("\u{200E}\u{200F}", "\\u{200e}\\u{200f}"), ("\u{2060}\u{2064}", "\\u{2060}\\u{2064}"),
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"), ("\u{FEFF}key", "\\u{feff}key"),
            ("soft\u{00AD}hyphen", "soft\\xadhyphen"), ("\u{061C}", "\\u{61c}"), ("\u{E0041}", "\\u{e0041}"),
            ("\u{3164}", "\\u{3164}"),
        ]
        for (raw, drawn) in cases {
            XCTAssertEqual(TerminalSafe.escape(raw), drawn)
            XCTAssertTrue(TerminalSafe.hasUnsafe(raw), raw.debugDescription)
        }
        XCTAssertNotEqual(TerminalSafe.escape("a\u{200B}b"), TerminalSafe.escape("ab"), "two keys never look the same")
        XCTAssertFalse(TerminalSafe.hasUnsafe("a\\b é 日本 🎉"))
    }

    func testEscapingWithoutBackslashLeavesEscapedTextAlone() {
        let once = TerminalSafe.escape("odd\u{1B}name\\x")
        XCTAssertEqual(TerminalSafe.escape(once, backslash: false), once)
        XCTAssertEqual(TerminalSafe.escape("a\\b\u{200B}", backslash: false), "a\\b\\u{200b}")
    }
}

final class ClipboardTests: XCTestCase {
    /// What OSC 52 would put on the clipboard, decoded from its payload.
    func clipboard(_ sequence: String) -> String {
        let body = sequence.dropFirst("\u{1B}]52;c;".count).dropLast()
        return String(decoding: Data(base64Encoded: String(body))!, as: UTF8.self)
    }

    func testTheClipboardNeverGetsAControlOrInvisibleCharacter() {
        let key = "s3://b/x\n; rm -rf ~\u{1B}]0;t\u{07}\u{9B}\u{7F}\u{200B}\u{FEFF}.txt"
        let pasted = clipboard(Clipboard.osc52(key, environment: ["TERM": "xterm"]))
        XCTAssertFalse(pasted.unicodeScalars.contains { TerminalSafe.isUnsafe($0) }, pasted.debugDescription)
        XCTAssertEqual(pasted, "s3://b/x%0A; rm -rf ~%1B]0;t%07%C2%9B%7F%E2%80%8B%EF%BB%BF.txt")
        XCTAssertEqual(Clipboard.safeText("https://h/b/caf%C3%A9 日本"), "https://h/b/caf%C3%A9 日本",
                       "safe text is kept")
    }
}
