import Foundation
import S3

/// The start of an object as text, for the browser's preview: the first 64 KiB, gunzipped
/// when the object is stored gzip'ed (Django's static files often are), shown as lines; a
/// binary object as a hex dump of its first bytes.
public struct ObjectPreview: Sendable, Equatable {
    public var lines: [String]
    /// What the lines are: "text, first 64 KiB of 2.0 MiB", "binary (image/jpeg)", ...
    public var note: String
    /// The lines are a hex dump (printable ASCII only, drawn as they are, never wrapped).
    public var isHexDump = false

    public static let limit = 64 << 10

    public init(lines: [String], note: String) {
        self.lines = lines
        self.note = note
    }

    public static func fetch(client: S3Client, bucket: String, key: String) throws -> ObjectPreview {
        let head = try client.headObject(bucket: bucket, key: key)
        guard head.size > 0 else { return ObjectPreview(lines: [], note: "empty object") }
        let sink = DataSink()
        let last = min(head.size, Int64(limit)) - 1
        _ = try client.getObject(bucket: bucket, key: key, range: 0...last,
                                 ifMatch: head.etag.isEmpty ? nil : head.etag, sink: sink)
        return make(sink.data, size: head.size, contentType: head.contentType, contentEncoding: head.contentEncoding)
    }

    static func make(_ data: Data, size: Int64, contentType: String?, contentEncoding: String?) -> ObjectPreview {
        var bytes = data
        var what = "text"
        if contentEncoding?.lowercased() == "gzip" {
            if let plain = gunzip(data), !plain.isEmpty {
                bytes = plain.prefix(limit)
                what = "text, gunzipped"
            } else {
                return hexDump(data, note: "gzip'ed, but the bytes do not unpack")
            }
        }
        let partial = Int64(data.count) < size
            ? ", first \(ByteCount.format(Int64(data.count))) of \(ByteCount.format(size))" : ""
        if looksBinary(bytes.prefix(8192), contentType: contentType) {
            return hexDump(bytes, note: "binary (\(contentType ?? "no Content-Type"))\(partial): its first bytes")
        }
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "\t", with: "    ")
        }
        if lines.last == "" { lines.removeLast() }
        return ObjectPreview(lines: lines, note: "\(what)\(partial)")
    }

    /// A text Content-Type is text; an image, font, archive and the like is not; anything
    /// else (octet-stream, none) is judged by its bytes: a NUL, or more than one byte in ten
    /// that is not printable UTF-8.
    static func looksBinary(_ sample: Data, contentType: String?) -> Bool {
        let type = ContentTypes.mediaType(contentType)
        if ContentTypes.isCompressible(type) && type != "application/wasm" { return sample.contains(0) }
        if ["image/", "video/", "audio/", "font/"].contains(where: type.hasPrefix)
            || ["application/pdf", "application/zip", "application/gzip", "application/wasm"].contains(type) {
            return true
        }
        if sample.contains(0) { return true }
        let text = String(decoding: sample, as: UTF8.self)
        let odd = text.unicodeScalars.filter {
            $0 == "\u{FFFD}" || ($0.value < 0x20 && !"\t\n\r".unicodeScalars.contains($0))
        }.count
        return odd * 10 > max(1, text.unicodeScalars.count)
    }

    static func hexDump(_ data: Data, note: String) -> ObjectPreview {
        // Every fetched byte (at most `limit`, 4096 lines): the preview pages through them.
        let bytes = Array(data.prefix(limit))
        var lines: [String] = []
        for start in stride(from: 0, to: bytes.count, by: 16) {
            let row = bytes[start..<min(start + 16, bytes.count)]
            let hex = row.map { String(format: "%02x", $0) }.joined(separator: " ")
            let ascii = String(row.map { $0 >= 0x20 && $0 < 0x7f ? Character(UnicodeScalar($0)) : "." })
            lines.append(String(format: "%08x  ", start) + hex.padding(toLength: 48, withPad: " ", startingAt: 0)
                         + "  " + ascii)
        }
        var dump = ObjectPreview(lines: lines, note: note)
        dump.isHexDump = true
        return dump
    }

    /// Through zlib. A stream cut at the preview's limit still yields what came before the cut.
    static func gunzip(_ data: Data) -> Data? { Gzip.decompress(data, limit: limit * 4) }
}
