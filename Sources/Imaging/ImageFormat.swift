import Foundation

/// The image formats pail shows. Anything else gdk-pixbuf could read (SVG, TIFF, ICO, TGA,
/// XPM, ...) is refused before a loader sees it: those loaders have had more memory-safety
/// bugs, and nobody needs a media cleanup tool to draw a cursor file.
public enum ImageFormat: String, CaseIterable, Sendable {
    case jpeg, png, gif, webp, avif

    /// How the caption and messages name it.
    public var name: String {
        switch self {
        case .jpeg: return "JPEG"
        case .png: return "PNG"
        case .gif: return "GIF"
        case .webp: return "WebP"
        case .avif: return "AVIF"
        }
    }

    /// gdk-pixbuf's name for the loader, so the bytes go to that loader and no other.
    var loaderName: String { rawValue }

    /// The Debian package that brings the loader, for the message when it is missing.
    public var loaderPackage: String {
        switch self {
        case .jpeg, .png, .gif: return "libgdk-pixbuf-2.0-0"
        case .webp: return "webp-pixbuf-loader"
        case .avif: return "libavif-gdk-pixbuf"
        }
    }

    /// The format the bytes are in, from their first bytes alone: a Content-Type can lie, and
    /// a loader must never be handed bytes of another format.
    public static func sniff<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(32))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("ftyp".utf8), at: 4) {
            // ISO base media: AVIF when a brand (major or compatible) says so.
            let size = head.count >= 4 ? Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3]) : 0
            let brands = stride(from: 8, to: min(size, head.count) - 3, by: 4).map {
                String(decoding: head[$0..<$0 + 4], as: UTF8.self)
            }
            if brands.contains("avif") || brands.contains("avis") { return .avif }
        }
        return nil
    }

    /// The format a Content-Type names, for the message when the bytes are not an image.
    public init?(contentType: String?) {
        let type = (contentType ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        switch type {
        case "image/jpeg", "image/jpg", "image/pjpeg": self = .jpeg
        case "image/png", "image/apng": self = .png
        case "image/gif": self = .gif
        case "image/webp": self = .webp
        case "image/avif", "image/avif-sequence": self = .avif
        default: return nil
        }
    }
}
