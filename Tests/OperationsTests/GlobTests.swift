import XCTest

@testable import Operations

final class GlobTests: XCTestCase {
    /// The recursive matcher Glob had before, kept as the reference for what a pattern means.
    private func reference(_ p: [Unicode.Scalar], _ pi: Int, _ t: [Unicode.Scalar], _ ti: Int) -> Bool {
        if pi == p.count { return ti == t.count }
        if p[pi] == "*" {
            let double = pi + 1 < p.count && p[pi + 1] == "*"
            let next = double ? pi + 2 : pi + 1
            var i = ti
            while true {
                if reference(p, next, t, i) { return true }
                if i == t.count || (!double && t[i] == "/") { return false }
                i += 1
            }
        }
        guard ti < t.count else { return false }
        if p[pi] == "?" { return t[ti] != "/" && reference(p, pi + 1, t, ti + 1) }
        return p[pi] == t[ti] && reference(p, pi + 1, t, ti + 1)
    }

    func testMeaningIsUnchanged() {
        XCTAssertTrue(Glob.matches("static/**", "static/css/a.css"))
        XCTAssertTrue(Glob.matches("**/*.css", "a/b/c.css"))
        XCTAssertFalse(Glob.matches("**/*.css", "c.css"), "**/ needs a slash, as before")
        XCTAssertFalse(Glob.matches("media/*.jpg", "media/2024/a.jpg"))
        XCTAssertTrue(Glob.matches("***", "a/b"))
        XCTAssertTrue(Glob.matches("", ""))
        XCTAssertFalse(Glob.matches("", "a"))
        // Every short pattern over a small alphabet against every short text: same answers.
        let alphabet: [Unicode.Scalar] = ["a", "/", "*", "?"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4000 {
            let p = (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)!
            }
            let t = (0..<Int.random(in: 0...7, using: &generator)).map { _ in
                (["a", "b", "/"] as [Unicode.Scalar]).randomElement(using: &generator)!
            }
            let ps = String(String.UnicodeScalarView(p))
            let ts = String(String.UnicodeScalarView(t))
            XCTAssertEqual(Glob.matches(ps, ts), reference(p, 0, t, 0), "\(ps) on \(ts)")
        }
    }

    /// The backtracking matcher needed C(61, 11), about 5 × 10^11, calls for this pair (hours);
    /// the position set visits each (pattern position, character) pair at most once.
    func testStarsDoNotBacktrackExponentially() {
        let pattern = String(repeating: "*a", count: 10) + "*b"
        let text = String(repeating: "a", count: 60)
        var steps = 0
        XCTAssertFalse(Glob.matches(pattern, text, steps: &steps))
        XCTAssertLessThanOrEqual(steps, (pattern.unicodeScalars.count + 1) * (text.unicodeScalars.count + 1))
        var long = 0
        XCTAssertTrue(
            Glob.matches(
                "**/" + String(repeating: "*x", count: 30) + "*", "a/" + String(repeating: "x", count: 900),
                steps: &long))
        XCTAssertLessThanOrEqual(long, 64 * 903)
    }
}
