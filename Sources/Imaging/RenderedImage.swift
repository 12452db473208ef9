import CChafa
import Foundation

/// A picture as terminal output, `columns` × `rows` cells at the cursor.
public struct RenderedImage: Sendable, Equatable {
    /// The bytes to write: for symbols, one line of characters and SGR colours per row,
    /// joined by "\n" (no newline after the last); for the pixel protocols, the picture's
    /// escape sequences, tmux-wrapped when asked.
    public var output: [UInt8]
    public var columns: Int
    public var rows: Int
    public var imageProtocol: ImageProtocol
}
