#if PAIL_FUZZ
import Foundation
import Imaging

/// The image path the browser and `pail view` take with an object's bytes: the header
/// reading, gdk-pixbuf's loaders (not instrumented, so found by crashes rather than
/// coverage) and, for what decodes, chafa's symbols.
enum ImageInputs {
    static let limits = ImageLimits(maxBytes: 1 << 20, maxPixels: 4_000_000, maxSide: 256)

    static func run(_ data: Data) {
        for format in ImageFormat.allCases { _ = ImageHeader.read(Array(data), format: format) }
        do {
            let image = try ImageDecoder.decode(data, contentType: "image/png", limits: limits)
            require(image.width > 0 && image.height > 0 && max(image.width, image.height) <= limits.maxSide,
                    "decoded size \(image.width)×\(image.height)")
            require(image.pixels.count == image.width * image.height * 4, "pixel count")
            require((try? ImageDecoder.check(data, limits: limits)) == image.format, "decoded what check refuses")
            let rendered = ImageRenderer.render(image, columns: 12, rows: 6, protocol: .symbols)
            require(rendered.columns <= 12 && rendered.rows <= 6, "rendered past the pane")
        } catch let error as ImageError {
            // One printable line, whatever the loader said.
            let printable = error.message.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
            require(!error.message.isEmpty && printable, "error message \(error.message.debugDescription)")
        } catch {
            require(false, "not an ImageError: \(error)")
        }
    }
}
#endif
