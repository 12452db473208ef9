import Foundation

/// An image decoded to RGBA, 8 bits a channel, not premultiplied, rows packed (4 × width
/// bytes each), top row first.
public struct DecodedImage: Sendable, Equatable {
    /// The decoded pixels' size (at most `ImageLimits.maxSide` on the longer side).
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]
    public var format: ImageFormat
    /// The image's own size, as its header says, for the caption.
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// The encoded object's size.
    public var byteCount: Int

    public init(width: Int, height: Int, pixels: [UInt8], format: ImageFormat,
                sourceWidth: Int? = nil, sourceHeight: Int? = nil, byteCount: Int) {
        self.width = width
        self.height = height
        self.pixels = pixels
        self.format = format
        self.sourceWidth = sourceWidth ?? width
        self.sourceHeight = sourceHeight ?? height
        self.byteCount = byteCount
    }

    /// The pixel at (x, y) as [r, g, b, a].
    public func rgba(x: Int, y: Int) -> [UInt8] {
        let i = (y * width + x) * 4
        return Array(pixels[i..<i + 4])
    }

    /// The line under the picture: "1920×1080 JPEG, 245 KiB".
    public var caption: String {
        "\(sourceWidth)×\(sourceHeight) \(format.name), \(Self.formatBytes(byteCount))"
    }

    /// Binary units, three significant figures (as the rest of pail prints sizes).
    static func formatBytes(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB"]
        var value = Double(bytes) / 1024
        var i = 0
        while value >= 1024 && i < units.count - 1 {
            value /= 1024
            i += 1
        }
        return value >= 100 ? "\(Int(value.rounded())) \(units[i])" : String(format: "%.1f ", value) + units[i]
    }
}
