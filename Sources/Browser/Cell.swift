import Operations

public struct Cell: Equatable, Sendable {
    /// One grapheme; "" for the second column of a wide character.
    public var text: String
    public var style: CellStyle
    /// A picture's cell (an image drawn in symbols) carries its own colours, which win over
    /// the style's; nil for every other cell.
    public var colour: PaletteColour? = nil
}
