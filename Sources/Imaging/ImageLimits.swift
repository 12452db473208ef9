import Foundation

/// Bounds on what pail decodes, so a hostile object costs a bounded amount of memory.
public struct ImageLimits: Sendable, Equatable {
    /// Objects above this are not fetched (32 MiB: a camera's largest JPEG, with room).
    public var maxBytes: Int
    /// Pixels the header may claim, counting every frame a decoder holds at once (50 million:
    /// a 50-megapixel photo, 200 MB of RGBA while it decodes).
    public var maxPixels: Int
    /// Decoded pixels are scaled down to at most this on their longer side: a terminal pane
    /// never shows more, and the copy handed to the renderer stays small (16 MiB of RGBA).
    public var maxSide: Int

    public init(maxBytes: Int = 32 << 20, maxPixels: Int = 50_000_000, maxSide: Int = 2048) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.maxSide = maxSide
    }

    public static let standard = ImageLimits()
}
