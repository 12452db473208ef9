import CChafa
import Foundation

/// One cell of a symbols rendering, for a page that draws through curses rather than
/// writing escape sequences: the character and its colours (palette indexes in 256 and 16
/// colours, 0xRRGGBB in truecolor; -1 for the terminal's default).
public struct SymbolCell: Sendable, Equatable {
    public var character: Character
    public var foreground: Int
    public var background: Int
}
