import Operations

/// How a cell looks; the Terminal module maps these to colours (or to bold/reverse
/// under NO_COLOR and on monochrome terminals).
public enum CellStyle: UInt8, Sendable {
    case normal, title, titleBusy, selected, marked, markedSelected, prefix, dim, error, notice, header, footerKey,
         footerText, detailName, prompt, loading
}

public struct Cell: Equatable, Sendable {
    /// One grapheme; "" for the second column of a wide character.
    public var text: String
    public var style: CellStyle
    /// A picture's cell (an image drawn in symbols) carries its own colours, which win over
    /// the style's; nil for every other cell.
    public var colour: PaletteColour? = nil
}

/// Foreground and background as xterm 256-palette indexes (-1: the terminal's default).
public struct PaletteColour: Equatable, Hashable, Sendable {
    public var foreground: Int16
    public var background: Int16
    public init(foreground: Int, background: Int) {
        self.foreground = Int16(clamping: max(-1, min(255, foreground)))
        self.background = Int16(clamping: max(-1, min(255, background)))
    }
}

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

/// Where things go on a screen of a given size.
public struct Layout: Equatable, Sendable {
    public static let minWidth = 40
    public static let minHeight = 10
    /// The details pane goes beside the tree from this width, below it from this height.
    public static let detailsMinWidth = 110
    public static let detailsMinHeight = 20

    public let width: Int
    public let height: Int
    public let treeTop = 1
    public let treeHeight: Int
    public let treeWidth: Int
    /// The details pane: beside the tree on wide screens, below it on tall ones, else hidden.
    public let details: (top: Int, left: Int, width: Int, height: Int)?

    public init(width: Int, height: Int, showDetails: Bool) {
        self.width = width
        self.height = height
        let body = max(0, height - 3)  // title, status line, footer
        if showDetails && width >= Self.detailsMinWidth {
            let w = min(56, width * 2 / 5)
            treeWidth = width - w - 1
            treeHeight = body
            details = (1, treeWidth + 1, w, body)
        } else if showDetails && height >= Self.detailsMinHeight {
            let h = min(10, body / 3)
            treeWidth = width
            treeHeight = body - h
            details = (1 + treeHeight, 0, width, h)
        } else {
            treeWidth = width
            treeHeight = body
            details = nil
        }
    }

    public var isTooSmall: Bool { width < Self.minWidth || height < Self.minHeight }

    public static func == (a: Layout, b: Layout) -> Bool {
        a.width == b.width && a.height == b.height && a.treeHeight == b.treeHeight && a.treeWidth == b.treeWidth
    }
}
