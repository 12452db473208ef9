import Foundation
import XCTest
@testable import Imaging

final class TerminalCapabilitiesTests: XCTestCase {
    func detect(_ env: [String: String]) -> TerminalCapabilities { TerminalCapabilities.detect(environment: env) }

    func testProtocolFromTheEnvironment() {
        XCTAssertEqual(detect(["TERM": "xterm-kitty"]).imageProtocol, .kitty)
        XCTAssertEqual(detect(["TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"]).imageProtocol, .kitty)
        XCTAssertEqual(detect(["TERM": "xterm-ghostty"]).imageProtocol, .kitty)
        XCTAssertEqual(detect(["TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"]).imageProtocol, .iterm)
        // iTerm2 sends LC_TERMINAL over SSH; TERM_PROGRAM stays behind.
        XCTAssertEqual(detect(["TERM": "xterm-256color", "LC_TERMINAL": "iTerm2"]).imageProtocol, .iterm)
        XCTAssertEqual(detect(["TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"]).imageProtocol, .iterm)
        XCTAssertEqual(detect(["TERM": "foot"]).imageProtocol, .sixel)
        XCTAssertEqual(detect(["TERM": "mlterm"]).imageProtocol, .sixel)
        XCTAssertEqual(detect(["TERM": "xterm-256color"]).imageProtocol, .symbols)
        XCTAssertEqual(detect([:]).imageProtocol, .symbols)
    }

    func testColours() {
        XCTAssertEqual(detect(["TERM": "xterm-256color"]).colours, .indexed256)
        XCTAssertEqual(detect(["TERM": "xterm-256color", "COLORTERM": "truecolor"]).colours, .truecolor)
        XCTAssertEqual(detect(["TERM": "xterm"]).colours, .indexed16)
        XCTAssertEqual(detect(["TERM": "linux"]).colours, .indexed16)
        XCTAssertEqual(detect(["TERM": "screen-256color", "TMUX": "/tmp/tmux-0/default,1,0"]).colours, .indexed256)
    }

    func testTmux() {
        let inside = detect(["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "KITTY_WINDOW_ID": "3"])
        XCTAssertTrue(inside.insideTmux)
        XCTAssertEqual(inside.imageProtocol, .kitty)
        XCTAssertTrue(inside.needsPassthrough)
        XCTAssertFalse(detect(["TERM": "tmux-256color", "TMUX": "x"]).needsPassthrough, "symbols need none")
        XCTAssertFalse(detect(["TERM": "xterm-kitty"]).needsPassthrough)
        // tmux answering sixel itself draws it: no passthrough.
        let sixel = detect(["TERM": "tmux-256color", "TMUX": "x"]).updated(withAnswers: Array("\(esc)[?62;4;22c".utf8))
        XCTAssertEqual(sixel.imageProtocol, .sixel)
        XCTAssertFalse(sixel.needsPassthrough)
        // The query passes the kitty and version questions through; tmux answers the attributes.
        let query = String(decoding: TerminalProbe.query(insideTmux: true), as: UTF8.self)
        XCTAssertEqual(query, "\(esc)Ptmux;\(esc)\(esc)_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\(esc)\(esc)\\\(esc)\\"
                       + "\(esc)[>0q\(esc)[c")
        XCTAssertEqual(String(decoding: TerminalProbe.query(insideTmux: false), as: UTF8.self),
                       "\(esc)_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\(esc)\\\(esc)[>0q\(esc)[c")
    }

    func testTheTerminalsAnswersWin() {
        let plain = detect(["TERM": "xterm-256color"])
        // Device attributes listing 4: sixel (xterm -ti vt340, foot, WezTerm, ...).
        XCTAssertEqual(plain.updated(withAnswers: Array("\(esc)[?62;4;6;22c".utf8)).imageProtocol, .sixel)
        XCTAssertEqual(plain.updated(withAnswers: Array("\(esc)[?62;22c".utf8)).imageProtocol, .symbols)
        XCTAssertEqual(plain.updated(withAnswers: Array("\(esc)[?64;14;4c".utf8)).imageProtocol, .sixel)
        // kitty's OK, with its version and attributes, in one read.
        let kitty = Array("\(esc)_Gi=31;OK\(esc)\\\(esc)P>|kitty(0.35.2)\(esc)\\\(esc)[?62;c".utf8)
        XCTAssertEqual(plain.updated(withAnswers: kitty).imageProtocol, .kitty)
        XCTAssertTrue(TerminalProbe.isComplete(kitty))
        XCTAssertEqual(TerminalAnswers(kitty).version, "kitty(0.35.2)")
        // An error reply to the graphics query is no kitty graphics.
        let refused = Array("\(esc)_Gi=31;ENOTSUPPORTED:\(esc)\\\(esc)[?62;c".utf8)
        XCTAssertEqual(plain.updated(withAnswers: refused).imageProtocol, .symbols)
        // iTerm2 and WezTerm by name.
        let iterm = Array("\(esc)P>|iTerm2 3.5.0\(esc)\\\(esc)[?62;4c".utf8)
        XCTAssertEqual(plain.updated(withAnswers: iterm).imageProtocol, .iterm)
        // A stale KITTY_WINDOW_ID (tmux started in kitty, now attached from elsewhere).
        let stale = detect(["TERM": "tmux-256color", "TMUX": "x", "KITTY_WINDOW_ID": "1"])
        XCTAssertEqual(stale.updated(withAnswers: Array("\(esc)[?1;2c".utf8)).imageProtocol, .symbols)
        // No answer at all: the environment stands.
        XCTAssertEqual(stale.updated(withAnswers: []), stale)
        XCTAssertEqual(stale.updated(withAnswers: Array("typed".utf8)), stale)
        XCTAssertFalse(TerminalProbe.isComplete(Array("\(esc)[?62;4".utf8)))
    }
}
