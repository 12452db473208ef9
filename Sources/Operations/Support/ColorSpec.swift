import S3

/// How one role is drawn: `FG [on BG] [bold]`, e.g. `black on cyan bold` or `33`.
public struct ColorSpec: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool

    public init(foreground: TerminalColor, background: TerminalColor = .default, bold: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
    }

    /// The highest palette index it uses: a spec above 15 needs a 256-colour terminal.
    public var needs256: Bool {
        [foreground, background].contains { if case .index(let i) = $0 { return i >= 16 } else { return false } }
    }

    public func downsampled(to colors: Int) -> ColorSpec {
        ColorSpec(
            foreground: foreground.downsampled(to: colors), background: background.downsampled(to: colors), bold: bold)
    }
}
