import CGdkPixbuf
import Foundation

/// Decodes JPEG, PNG, GIF (first frame), WebP and AVIF from memory through gdk-pixbuf's
/// loaders, within `ImageLimits`. Synchronous and thread-safe: call it off the UI thread.
public enum ImageDecoder {
    /// Bytes handed to the loader at a time; the cancel check and the size check run between.
    static let chunk = 64 << 10

    /// GLib's log goes nowhere (see the shim), set once before any loader runs.
    private static let setUp: Void = pail_glib_silence()

    /// - Parameters:
    ///   - contentType: the object's Content-Type, only to word the message when the bytes
    ///     are not the image it names (the format is always sniffed from the bytes).
    ///   - isCancelled: checked between chunks; true stops with `ImageError.Kind.cancelled`.
    public static func decode(_ data: Data, contentType: String? = nil, limits: ImageLimits = .standard,
                              isCancelled: (() -> Bool)? = nil) throws -> DecodedImage {
        let format = try check(data, contentType: contentType, limits: limits)
        return try decodeChecked(data, format: format, limits: limits, isCancelled: isCancelled)
    }

    /// The decoding itself, after `check`; the loader's own size check still runs (for a
    /// header pail read differently from the loader).
    static func decodeChecked(_ data: Data, format: ImageFormat, limits: ImageLimits,
                              isCancelled: (() -> Bool)?) throws -> DecodedImage {
        _ = setUp
        var error: UnsafeMutablePointer<GError>?
        guard let loader = gdk_pixbuf_loader_new_with_type(format.loaderName, &error) else {
            if error != nil { g_error_free(error) }
            throw ImageError(.noLoader, "\(format.name) images cannot be shown: this machine's gdk-pixbuf has no "
                             + "\(format.name) loader (install \(format.loaderPackage))")
        }
        defer { pail_gobject_unref(UnsafeMutableRawPointer(loader)) }
        let guardBox = UnsafeMutablePointer<PailSizeGuard>.allocate(capacity: 1)
        defer { guardBox.deallocate() }
        guardBox.initialize(to: PailSizeGuard(max_pixels: limits.maxPixels, max_side: Int32(limits.maxSide),
                                              width: 0, height: 0, refused: 0))
        pail_pixbuf_guard_size(loader, guardBox)
        // The loader must be closed whatever happens, or GLib complains when it is freed.
        var closed = false
        defer {
            if !closed {
                var e: UnsafeMutablePointer<GError>?
                gdk_pixbuf_loader_close(loader, &e)
                if let e { g_error_free(e) }
            }
        }

        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.bindMemory(to: UInt8.self).baseAddress!
            var offset = 0
            while offset < raw.count {
                if isCancelled?() == true { throw ImageError(.cancelled, "cancelled") }
                let count = min(chunk, raw.count - offset)
                let ok = gdk_pixbuf_loader_write(loader, base + offset, gsize(count), &error)
                if guardBox.pointee.refused != 0 { throw tooManyPixels(format, guardBox.pointee, limits) }
                if ok == 0 { throw corrupt(format, &error) }
                offset += count
            }
        }
        closed = true
        let finished = gdk_pixbuf_loader_close(loader, &error)
        if guardBox.pointee.refused != 0 { throw tooManyPixels(format, guardBox.pointee, limits) }
        if finished == 0 { throw corrupt(format, &error) }
        guard let pixbuf = gdk_pixbuf_loader_get_pixbuf(loader) else {
            throw ImageError(.corrupt, "the \(format.name) image holds no picture")
        }
        let source = guardBox.pointee
        return try copy(pixbuf, format: format, sourceWidth: source.width > 0 ? Int(source.width) : nil,
                        sourceHeight: source.height > 0 ? Int(source.height) : nil, byteCount: data.count,
                        limits: limits)
    }

    /// What is refused before any decoder sees the bytes: too many bytes, a format pail does
    /// not show, a header that claims too many pixels.
    public static func check(_ data: Data, contentType: String? = nil,
                             limits: ImageLimits = .standard) throws -> ImageFormat {
        guard data.count <= limits.maxBytes else {
            throw ImageError(.tooLarge, "the image is \(DecodedImage.formatBytes(data.count)), over the "
                             + "\(DecodedImage.formatBytes(limits.maxBytes)) pail shows: download it instead")
        }
        guard !data.isEmpty else { throw ImageError(.corrupt, "the object is empty") }
        guard let format = ImageFormat.sniff(data) else {
            if let named = ImageFormat(contentType: contentType) {
                throw ImageError(.corrupt, "the bytes are not a \(named.name) image, whatever its Content-Type says")
            }
            throw ImageError(.unsupported, "not an image pail shows (JPEG, PNG, GIF, WebP or AVIF)")
        }
        guard let header = ImageHeader.read(Array(data.prefix(format == .avif ? data.count : 1 << 20)), format: format)
        else {
            throw ImageError(.corrupt, "the \(format.name) image is cut short or malformed: its size cannot be read")
        }
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        let (total, overflow2) = pixels.multipliedReportingOverflow(by: header.frames)
        guard header.width > 0, header.height > 0, !overflow, !overflow2, total <= limits.maxPixels else {
            throw tooManyPixels(format, width: header.width, height: header.height, frames: header.frames, limits)
        }
        return format
    }

    static func tooManyPixels(_ format: ImageFormat, width: Int, height: Int, frames: Int = 1,
                              _ limits: ImageLimits) -> ImageError {
        if width <= 0 || height <= 0 {
            return ImageError(.corrupt, "the \(format.name) image claims a size of \(width)×\(height) pixels")
        }
        let animation = frames > 1 ? " in \(frames) frames" : ""
        return ImageError(.tooManyPixels, "the \(format.name) image claims \(width)×\(height) pixels\(animation), "
                          + "over the \(limits.maxPixels / 1_000_000) million pail decodes")
    }

    static func tooManyPixels(_ format: ImageFormat, _ size: PailSizeGuard, _ limits: ImageLimits) -> ImageError {
        tooManyPixels(format, width: Int(size.width), height: Int(size.height), limits)
    }

    /// The loader's own words, made safe to print: printable ASCII, one line, bounded.
    static func corrupt(_ format: ImageFormat, _ error: inout UnsafeMutablePointer<GError>?) -> ImageError {
        var detail = "no reason given"
        if let e = error {
            if let message = e.pointee.message {
                let bytes = Array(String(cString: message).utf8.prefix(160)).map {
                    (0x20..<0x7F).contains($0) ? $0 : 0x3F
                }
                detail = String(decoding: bytes, as: UTF8.self)
            }
            g_error_free(e)
            error = nil
        }
        return ImageError(.corrupt, "the \(format.name) image does not decode: \(detail)")
    }

    /// RGB or RGBA of any row stride into packed RGBA, scaled down first if a loader ignored
    /// the size it was asked for.
    static func copy(_ loaded: OpaquePointer, format: ImageFormat, sourceWidth: Int?,
                     sourceHeight: Int?, byteCount: Int, limits: ImageLimits) throws -> DecodedImage {
        var pixbuf = loaded
        var scaled: OpaquePointer?
        defer { if let scaled { pail_gobject_unref(UnsafeMutableRawPointer(scaled)) } }
        let w0 = Int(gdk_pixbuf_get_width(pixbuf)), h0 = Int(gdk_pixbuf_get_height(pixbuf))
        if limits.maxSide > 0 && max(w0, h0) > limits.maxSide {
            let w = w0 >= h0 ? limits.maxSide : max(1, w0 * limits.maxSide / h0)
            let h = h0 > w0 ? limits.maxSide : max(1, h0 * limits.maxSide / w0)
            guard let small = gdk_pixbuf_scale_simple(pixbuf, Int32(w), Int32(h), GDK_INTERP_BILINEAR) else {
                throw ImageError(.corrupt, "the \(format.name) image could not be scaled down")
            }
            scaled = small
            pixbuf = small
        }
        let width = Int(gdk_pixbuf_get_width(pixbuf)), height = Int(gdk_pixbuf_get_height(pixbuf))
        let channels = Int(gdk_pixbuf_get_n_channels(pixbuf)), stride = Int(gdk_pixbuf_get_rowstride(pixbuf))
        guard gdk_pixbuf_get_bits_per_sample(pixbuf) == 8, channels == 3 || channels == 4, width > 0, height > 0,
              let source = gdk_pixbuf_read_pixels(pixbuf) else {
            throw ImageError(.corrupt, "the \(format.name) image decoded to a pixel layout pail does not read")
        }
        var out = [UInt8](repeating: 255, count: width * height * 4)
        out.withUnsafeMutableBufferPointer { dest in
            for y in 0..<height {
                let row = source + y * stride
                var d = y * width * 4
                for x in 0..<width {
                    let s = row + x * channels
                    dest[d] = s[0]
                    dest[d + 1] = s[1]
                    dest[d + 2] = s[2]
                    if channels == 4 { dest[d + 3] = s[3] }
                    d += 4
                }
            }
        }
        return DecodedImage(width: width, height: height, pixels: out, format: format, sourceWidth: sourceWidth ?? w0,
                            sourceHeight: sourceHeight ?? h0, byteCount: byteCount)
    }
}
