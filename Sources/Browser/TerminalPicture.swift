import Operations

/// A picture in a pixel protocol (kitty, sixel, iTerm2): escape sequences the terminal
/// writes at (row, column) after drawing the cells, and what removes it again.
public struct TerminalPicture: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var bytes: [UInt8]
    public var clear: [UInt8]
    public init(row: Int, column: Int, bytes: [UInt8], clear: [UInt8]) {
        self.row = row
        self.column = column
        self.bytes = bytes
        self.clear = clear
    }
}
