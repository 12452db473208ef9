import Foundation

/// What an image's header says about its size, read before any decoder runs: a few hundred
/// bytes can claim a picture of billions of pixels, and not every gdk-pixbuf loader honours
/// the size check it is given (the WebP loader decodes whatever the header says).
public struct ImageHeader: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Frames a decoder would hold at once (animated WebP decodes all of them up front).
    public var frames: Int

    public init(width: Int, height: Int, frames: Int = 1) {
        self.width = width
        self.height = height
        self.frames = frames
    }

    /// The size the header gives, or nil when the header is cut short or malformed (the
    /// decoder then says what is wrong).
    public static func read(_ bytes: [UInt8], format: ImageFormat) -> ImageHeader? {
        switch format {
        case .png: return png(bytes)
        case .gif: return gif(bytes)
        case .jpeg: return jpeg(bytes)
        case .webp: return webp(bytes)
        case .avif: return avif(bytes)
        }
    }

    static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    static func be32(_ b: [UInt8], _ i: Int) -> Int { be16(b, i) << 16 | be16(b, i + 2) }
    static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func le24(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | Int(b[i + 2]) << 16 }
    static func le32(_ b: [UInt8], _ i: Int) -> Int { le24(b, i) | Int(b[i + 3]) << 24 }

    /// The first chunk is IHDR: width and height as 32-bit big-endian numbers.
    static func png(_ b: [UInt8]) -> ImageHeader? {
        guard b.count >= 24, Array(b[12..<16]) == Array("IHDR".utf8) else { return nil }
        return ImageHeader(width: be32(b, 16), height: be32(b, 20))
    }

    /// The logical screen; a frame larger than it is what gdk-pixbuf's loader refuses itself.
    static func gif(_ b: [UInt8]) -> ImageHeader? {
        guard b.count >= 10 else { return nil }
        return ImageHeader(width: le16(b, 6), height: le16(b, 8))
    }

    /// The first start-of-frame marker (SOF0 to SOF15, less DHT, JPG and DAC), found by
    /// walking the segments.
    static func jpeg(_ b: [UInt8]) -> ImageHeader? {
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill bytes
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = be16(b, i + 2)
            guard length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard i + 9 <= b.count else { return nil }
                return ImageHeader(width: be16(b, i + 7), height: be16(b, i + 5))
            }
            i += 2 + length
        }
        return nil
    }

    /// RIFF chunks: VP8 (lossy), VP8L (lossless) or VP8X (extended: the canvas, and an ANMF
    /// chunk per frame of an animation).
    static func webp(_ b: [UInt8]) -> ImageHeader? {
        var i = 12
        var header: ImageHeader?
        var frames = 0
        while i + 8 <= b.count {
            let tag = String(decoding: b[i..<i + 4], as: UTF8.self)
            let size = le32(b, i + 4)
            let body = i + 8
            switch tag {
            case "VP8X" where body + 10 <= b.count:
                header = ImageHeader(width: le24(b, body + 4) + 1, height: le24(b, body + 7) + 1)
            case "VP8 " where header == nil && body + 10 <= b.count:
                guard Array(b[body + 3..<body + 6]) == [0x9D, 0x01, 0x2A] else { return nil }
                return ImageHeader(width: le16(b, body + 6) & 0x3FFF, height: le16(b, body + 8) & 0x3FFF)
            case "VP8L" where header == nil && body + 5 <= b.count:
                guard b[body] == 0x2F else { return nil }
                let bits = le32(b, body + 1)
                return ImageHeader(width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1)
            case "ANMF": frames += 1
            default: break
            }
            guard size >= 0, size <= Int(Int32.max) else { return nil }
            i = body + size + (size & 1)
        }
        guard var canvas = header else { return nil }
        canvas.frames = max(1, frames)
        return canvas
    }

    /// ISO base media: the largest `ispe` (image spatial extents) property anywhere in the
    /// file (the meta box may follow the data); an AVIF without one is malformed.
    static func avif(_ b: [UInt8]) -> ImageHeader? {
        let ispe = Array("ispe".utf8)
        var best: ImageHeader?
        var i = 4
        while i + 16 <= b.count {
            if b[i] == ispe[0] && Array(b[i..<i + 4]) == ispe {
                // size(4) "ispe" version+flags(4) width(4) height(4)
                let found = ImageHeader(width: be32(b, i + 8), height: be32(b, i + 12))
                // In Double: two 32-bit sides multiply past Int (found by the fuzzer).
                let area = Double(found.width) * Double(found.height)
                if best.map({ Double($0.width) * Double($0.height) < area }) ?? true { best = found }
            }
            i += 1
        }
        return best
    }
}
