import Operations

/// A grid of cells: what `render` returns and the Terminal draws.
public struct Screen: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// A pixel picture drawn over the cells (an image page on a kitty, sixel or iTerm2 terminal).
    public var picture: TerminalPicture?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(text: " ", style: .normal), count: self.width * self.height)
    }

    /// Writes `text` at (row, column), at most `maxWidth` columns, cutting with "…".
    /// Control and invisible characters never reach the grid: the renderer escapes what it
    /// draws, and whatever it missed is escaped here (backslashes kept, as that text may be
    /// escaped already), so a cell's width is always that of what the terminal shows.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: CellStyle, maxWidth: Int? = nil) -> Int {
        guard row >= 0, row < height, column < width else { return 0 }
        let text = TerminalSafe.hasUnsafe(text) ? TerminalSafe.escape(text, backslash: false) : text
        let limit = min(maxWidth ?? (width - column), width - column)
        let fitted = DisplayWidth.truncate(text, to: limit)
        var x = column
        for c in fitted {
            let w = DisplayWidth.of(c)
            if x + w > column + limit { break }
            cells[row * width + x] = Cell(text: String(c), style: style)
            if w == 2 { cells[row * width + x + 1] = Cell(text: "", style: style) }
            x += w
        }
        return x - column
    }

    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, style: CellStyle) {
        guard row >= 0, row < height else { return }
        for x in max(0, from)..<min(width, to ?? width) { cells[row * width + x] = Cell(text: " ", style: style) }
    }

    public mutating func restyle(row: Int, from: Int, to: Int, style: CellStyle) {
        guard row >= 0, row < height else { return }
        for x in max(0, from)..<min(width, to) { cells[row * width + x].style = style }
    }

    public func cell(row: Int, column: Int) -> Cell { cells[row * width + column] }

    /// One cell of a picture in symbols: a character (one column wide) in palette colours.
    public mutating func putColoured(_ character: Character, row: Int, column: Int, colour: PaletteColour) {
        guard row >= 0, row < height, column >= 0, column < width else { return }
        let safe = DisplayWidth.of(character) == 1 && !TerminalSafe.hasUnsafe(String(character))
        cells[row * width + column] = Cell(text: safe ? String(character) : " ", style: .normal, colour: colour)
    }

    /// The screen as plain text, one line per row (for snapshots and tests).
    public var text: String {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += cells[y * width + x].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
