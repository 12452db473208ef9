import Operations

/// Foreground and background as xterm 256-palette indexes (-1: the terminal's default).
public struct PaletteColour: Equatable, Hashable, Sendable {
    public var foreground: Int16
    public var background: Int16
    public init(foreground: Int, background: Int) {
        self.foreground = Int16(clamping: max(-1, min(255, foreground)))
        self.background = Int16(clamping: max(-1, min(255, background)))
    }
}
