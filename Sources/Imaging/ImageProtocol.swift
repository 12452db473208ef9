import Foundation

/// How a picture reaches the terminal.
public enum ImageProtocol: String, CaseIterable, Sendable {
    /// The kitty graphics protocol (kitty, Ghostty, Konsole): RGBA pixels in APC sequences.
    case kitty
    /// DEC sixel (foot, mlterm, WezTerm, xterm -ti vt340, tmux 3.4 built with sixel).
    case sixel
    /// iTerm2's inline images (iTerm2, WezTerm, mintty): an encoded file in an OSC 1337.
    case iterm
    /// Unicode block and border symbols in colour: every terminal, also over SSH.
    case symbols

    /// Pixel protocols draw pictures; symbols draw characters in cells.
    public var drawsPixels: Bool { self != .symbols }

    /// What removes the pictures a protocol left on the screen, for a page that closes: kitty
    /// keeps images until told (`a=d`); sixel and iTerm2 pictures are overwritten by the text
    /// drawn over them, and symbols are text.
    public func clearSequence(tmux: Bool) -> [UInt8] {
        guard self == .kitty else { return [] }
        let delete = Array("\u{1B}_Ga=d,q=2\u{1B}\\".utf8)
        return tmux ? TmuxPassthrough.wrap(delete) : delete
    }
}
