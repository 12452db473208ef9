import Operations

/// A picture as the session drew it for the page: symbols as glyphs in palette colours, or a
/// pixel protocol's escape sequences (`pixels`, with `clear` to remove it), and the caption.
public struct ImagePicture: Equatable, Sendable {
    public var caption: String
    public var columns: Int
    public var rows: Int
    public var glyphs: [[ImageGlyph]]
    public var pixels: [UInt8]
    public var clear: [UInt8]

    public init(caption: String, columns: Int, rows: Int, glyphs: [[ImageGlyph]] = [], pixels: [UInt8] = [],
                clear: [UInt8] = []) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.glyphs = glyphs
        self.pixels = pixels
        self.clear = clear
    }
}
