import Foundation
import XCTest
@testable import Imaging

final class ImageDecoderTests: XCTestCase {
    func testPNGPixelsExactlyWithAlpha() throws {
        let image = try decodeFixture("rgba-2x2.png")
        XCTAssertEqual(image.format, .png)
        XCTAssertEqual([image.width, image.height], [2, 2])
        XCTAssertEqual(image.pixels, [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 128])
        XCTAssertEqual(image.caption, "2×2 PNG, 82 B")
    }

    func testJPEGWithinTolerance() throws {
        let image = try decodeFixture("colour-8x8.jpg")
        XCTAssertEqual(image.format, .jpeg)
        XCTAssertEqual([image.width, image.height], [8, 8])
        for y in 0..<8 {
            for x in 0..<8 {
                let p = image.rgba(x: x, y: y)
                for (got, want) in zip(p, [200, 100, 50, 255]) {
                    XCTAssertLessThanOrEqual(abs(Int(got) - want), 3, "\(x),\(y): \(p)")
                }
            }
        }
    }

    func testGIFShowsItsFirstFrame() throws {
        let image = try decodeFixture("two-frames.gif")
        XCTAssertEqual(image.format, .gif)
        XCTAssertEqual([image.width, image.height], [4, 4])
        // Frame one is red, frame two green.
        XCTAssertEqual(Set(stride(from: 0, to: image.pixels.count, by: 4).map { Array(image.pixels[$0..<$0 + 4]) }),
                       [[255, 0, 0, 255]])
    }

    func testWebPLosslessExactly() throws {
        let data = try fixture("lossless-4x4.webp")
        let image: DecodedImage
        do {
            image = try ImageDecoder.decode(data)
        } catch let error as ImageError where error.kind == .noLoader {
            XCTAssertEqual(error.message, "WebP images cannot be shown: this machine's gdk-pixbuf has no WebP loader "
                           + "(install webp-pixbuf-loader)")
            throw XCTSkip("no WebP loader here: `make system-deps` installs webp-pixbuf-loader")
        }
        XCTAssertEqual(image.format, .webp)
        XCTAssertEqual(image.pixels, Array([[UInt8]](repeating: [10, 20, 30, 255], count: 16).joined()))
    }

    /// AVIF decodes where libavif's loader is installed, and says what to install where not.
    func testAVIFDecodesOrNamesTheLoaderToInstall() throws {
        let data = try fixture("tiny.avif")
        XCTAssertEqual(ImageFormat.sniff(data), .avif)
        do {
            let image = try ImageDecoder.decode(data)
            XCTAssertEqual([image.width, image.height], [4, 4])
            for p in stride(from: 0, to: image.pixels.count, by: 4) {
                XCTAssertLessThanOrEqual(abs(Int(image.pixels[p]) - 10), 6)
            }
        } catch let error as ImageError {
            XCTAssertEqual(error.kind, .noLoader)
            XCTAssertEqual(error.message, "AVIF images cannot be shown: this machine's gdk-pixbuf has no AVIF loader "
                           + "(install libavif-gdk-pixbuf)")
        }
    }

    func testTruncatedAndCorruptImagesAreOneErrorLine() throws {
        let png = try fixture("rgb-2x2.png")
        let cut = imageError { try ImageDecoder.decode(png.prefix(40)) }
        XCTAssertEqual(cut?.kind, .corrupt)
        XCTAssertTrue(cut?.message.hasPrefix("the PNG image does not decode: ") ?? false, cut?.message ?? "")
        // A valid header over garbage.
        var garbage = Data(png.prefix(33))
        garbage += Data((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        XCTAssertEqual(imageError { try ImageDecoder.decode(garbage) }?.kind, .corrupt)
        // A header cut before its size.
        let header = imageError { try ImageDecoder.decode(png.prefix(12)) }
        XCTAssertEqual(header?.message, "the PNG image is cut short or malformed: its size cannot be read")
        let jpeg = try fixture("colour-8x8.jpg")
        XCTAssertEqual(imageError { try ImageDecoder.decode(jpeg.prefix(jpeg.count / 2)) }?.kind, .corrupt)
        let gif = try fixture("two-frames.gif")
        XCTAssertEqual(imageError { try ImageDecoder.decode(gif.prefix(20)) }?.kind, .corrupt)
        XCTAssertEqual(imageError { try ImageDecoder.decode(Data()) }?.message, "the object is empty")
    }

    func testBytesThatAreNoImage() {
        let text = Data("<html>not a picture</html>".utf8)
        XCTAssertEqual(imageError { try ImageDecoder.decode(text) }?.message,
                       "not an image pail shows (JPEG, PNG, GIF, WebP or AVIF)")
        XCTAssertEqual(imageError { try ImageDecoder.decode(text, contentType: "image/jpeg; q=1") }?.message,
                       "the bytes are not a JPEG image, whatever its Content-Type says")
        // SVG, TIFF, ICO and the like never reach a loader.
        let tiff = Data([0x49, 0x49, 0x2A, 0x00] + [UInt8](repeating: 0, count: 60))
        XCTAssertEqual(imageError { try ImageDecoder.decode(tiff, contentType: "image/tiff") }?.kind, .unsupported)
    }

    func testOversizedObjectIsRefusedBeforeAnyDecoding() {
        // A valid PNG start, then zeros: refused on its size alone, from one byte over.
        var big = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        big.count = (32 << 20) + 1
        XCTAssertEqual(imageError { try ImageDecoder.check(big) }?.kind, .tooLarge)
        big.count = 40 << 20
        XCTAssertEqual(imageError { try ImageDecoder.decode(big) }?.message,
                       "the image is 40.0 MiB, over the 32.0 MiB pail shows: download it instead")
    }

    /// Headers claiming 10^10 pixels over a few bytes: refused by `check`, which no decoder
    /// runs in, so neither gdk-pixbuf nor the WebP loader (which ignores the size check) sees them.
    func testDecompressionBombsAreRefusedBeforeDecoding() throws {
        let png = imageError { try ImageDecoder.check(try fixture("bomb.png")) }
        XCTAssertEqual(png?.kind, .tooManyPixels)
        XCTAssertEqual(png?.message, "the PNG image claims 100000×100000 pixels, over the 50 million pail decodes")
        let webp = imageError { try ImageDecoder.decode(try fixture("bomb.webp")) }
        XCTAssertEqual(webp?.message, "the WebP image claims 16384×16384 pixels, over the 50 million pail decodes")
        // 60 frames of a million pixels: the WebP loader decodes every frame up front.
        let frames = imageError { try ImageDecoder.decode(try fixture("sixty-frames.webp")) }
        XCTAssertEqual(frames?.message,
                       "the WebP image claims 1000×1000 pixels in 60 frames, over the 50 million pail decodes")
        let sizes = try [("colour-8x8.jpg", ImageFormat.jpeg, 8), ("tiny.avif", .avif, 4), ("two-frames.gif", .gif, 4)]
            .map { name, format, side in (ImageHeader.read(Array(try fixture(name)), format: format), side) }
        for (header, side) in sizes { XCTAssertEqual(header, ImageHeader(width: side, height: side)) }
    }

    /// Two `ispe` boxes of 2^32-1 × 2^32-1: their areas overflow Int (the fuzzer's find).
    func testAVIFSizesPastIntAreRefusedNotACrash() {
        let ispe: [UInt8] = [0, 0, 0, 20] + Array("ispe".utf8) + [0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8)
        let avif = [0, 0, 0, 16] + Array("ftypavif".utf8) + [0, 0, 0, 0] + ispe + ispe
        XCTAssertEqual(ImageHeader.read(avif, format: .avif), ImageHeader(width: 4_294_967_295, height: 4_294_967_295))
        XCTAssertEqual(imageError { try ImageDecoder.check(Data(avif)) }?.kind, .tooManyPixels)
    }

    /// The second line of defence: the size gdk-pixbuf's loader reads is checked inside its
    /// callback, before it allocates, even for a header pail's own reading let through.
    func testLoaderSizeCallbackRefusesToo() throws {
        let limits = ImageLimits(maxPixels: 3)
        for name in ["rgb-2x2.png", "colour-8x8.jpg", "two-frames.gif"] {
            let data = try fixture(name)
            let error = imageError {
                try ImageDecoder.decodeChecked(data, format: ImageFormat.sniff(data)!, limits: limits, isCancelled: nil)
            }
            XCTAssertEqual(error?.kind, .tooManyPixels, name)
        }
    }

    func testLargePicturesAreScaledDownKeepingTheirSourceSize() throws {
        let image = try ImageDecoder.decode(try fixture("gradient-64x32.png"), limits: ImageLimits(maxSide: 16))
        XCTAssertEqual([image.width, image.height, image.sourceWidth, image.sourceHeight], [16, 8, 64, 32])
        XCTAssertEqual(image.pixels.count, 16 * 8 * 4)
        XCTAssertTrue(image.caption.hasPrefix("64×32 PNG, "), image.caption)
    }

    func testCancelledBeforeTheLoaderRuns() throws {
        let error = imageError { try ImageDecoder.decode(try fixture("rgb-2x2.png"), isCancelled: { true }) }
        XCTAssertEqual(error?.kind, .cancelled)
    }

    func testSniffingAndContentTypes() {
        XCTAssertEqual(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]), .jpeg)
        XCTAssertEqual(ImageFormat.sniff(Array("GIF89a".utf8)), .gif)
        XCTAssertEqual(ImageFormat.sniff(Array("RIFF\0\0\0\0WEBPVP8L".utf8)), .webp)
        XCTAssertNil(ImageFormat.sniff(Array("RIFF\0\0\0\0WAVEfmt ".utf8)))
        XCTAssertNil(ImageFormat.sniff([0xFF, 0xD8]))
        XCTAssertEqual(ImageFormat(contentType: "Image/PNG"), .png)
        XCTAssertNil(ImageFormat(contentType: "image/svg+xml"))
        XCTAssertEqual(DecodedImage.formatBytes(250_000), "244 KiB")
    }
}
