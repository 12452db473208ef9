import Operations

/// How a cell of one style looks on the terminal: colours (nil under NO_COLOR and on a
/// monochrome terminal) and attributes.
public struct Look: Hashable, Sendable {
    public var foreground: TerminalColor = .default
    public var background: TerminalColor = .default
    public var bold = false
    public var reverse = false
    public var underline = false
    public var dim = false

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    /// "black on cyan, bold", "default, reverse": for snapshots and messages.
    public var description: String {
        func name(_ c: TerminalColor) -> String {
            guard case .index(let i) = c else { return "default" }
            if i < 8 { return TerminalColor.basicNames[Int(i)] }
            if i < 16 { return "bright_" + TerminalColor.basicNames[Int(i) - 8] }
            return String(i)
        }
        var colour = name(foreground)
        if background != .default { colour += " on " + name(background) }
        let attributes = [(bold, "bold"), (reverse, "reverse"), (underline, "underline"), (dim, "dim")]
            .filter(\.0).map(\.1)
        return ([colour] + attributes).joined(separator: ", ")
    }
}
