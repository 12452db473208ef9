import Foundation

/// The text of a prompt, a confirmation or a form field, with a cursor: every place that
/// takes typed text edits it the same way (readline's keys), and shows it scrolled so the
/// cursor and what is being typed stay visible however narrow the terminal.
public struct LineEditor: Equatable, Sendable, ExpressibleByStringLiteral {
    public private(set) var text: String
    /// The cursor, in characters from the start (0 ... text.count).
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var isEmpty: Bool { text.isEmpty }

    /// Replaces the whole text (a completion, ^R), with the cursor at its end.
    public mutating func set(_ new: String) {
        text = new
        cursor = new.count
    }

    /// Applies an editing key; false for keys it leaves to the caller (Enter, Esc, Tab, ↑↓).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        var chars = Array(text)
        switch key {
        case .char(let c): chars.insert(c, at: cursor); cursor += 1
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(chars.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = chars.count
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return true }
            chars.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < chars.count else { return true }
            chars.remove(at: cursor)
        case .ctrl("u"):
            chars.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrl("k"):
            chars.removeSubrange(cursor...)
        case .ctrl("w"):
            // The word before the cursor, and the separators after it: paths lose one
            // segment ("static/css/" → "static/"), lists one item.
            var start = cursor
            while start > 0 && Self.separates(chars[start - 1]) { start -= 1 }
            while start > 0 && !Self.separates(chars[start - 1]) { start -= 1 }
            chars.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        text = String(chars)
        return true
    }

    static func separates(_ c: Character) -> Bool { c == " " || c == "/" || c == "," }

    /// The text as drawn in `width` columns, the cursor shown as "▏": the whole text when it
    /// fits, else a window around the cursor with "…" where text is cut off. `escape` makes
    /// each character safe to draw (control characters shown as escapes).
    public func rendered(width: Int, escape: (String) -> String = { $0 }) -> String {
        let width = max(3, width)
        let shown = Array(text).map { escape(String($0)) }
        let widths = shown.map { DisplayWidth.of($0) }
        let total = widths.reduce(0, +) + 1
        if total <= width {
            var s = shown
            s.insert("▏", at: cursor)
            return s.joined()
        }
        // Start as far left as lets the cursor (and "…" on the left, if cut) fit.
        var start = cursor
        var used = 1 + (cursor < shown.count ? 1 : 0)  // the cursor, and "…" on the right if cut
        while start > 0 {
            let extra = start - 1 > 0 ? 1 : 0
            if used + widths[start - 1] + extra > width { break }
            used += widths[start - 1]
            start -= 1
        }
        var out = start > 0 ? "…" : ""
        var room = width - (start > 0 ? 1 : 0)
        for i in start..<cursor {
            out += shown[i]
            room -= widths[i]
        }
        out += "▏"
        room -= 1
        var i = cursor
        while i < shown.count {
            let needsMark = i < shown.count - 1
            if widths[i] + (needsMark ? 1 : 0) > room {
                out += "…"
                break
            }
            out += shown[i]
            room -= widths[i]
            i += 1
        }
        return out
    }
}
