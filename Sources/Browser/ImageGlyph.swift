import Operations

/// One cell of a picture drawn in symbols.
public struct ImageGlyph: Equatable, Sendable {
    public var character: Character
    public var colour: PaletteColour
    public init(character: Character, colour: PaletteColour) {
        self.character = character
        self.colour = colour
    }
}
