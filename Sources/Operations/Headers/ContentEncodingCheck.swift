import Foundation
import S3

/// Whether an edit of Content-Encoding tells the truth about the stored bytes: `gzip` on an
/// object whose first two bytes are not gzip's magic number (1f 8b) makes browsers fail to
/// decode it, and removing `gzip` from one whose bytes are gzip serves them compressed as if
/// plain. Both are refused with the reason. The bytes come from a 2-byte ranged GET pinned to
/// the ETag the edit read, so only edits that change Content-Encoding pay for it.
/// `set-headers` calls it for each object; the browser's header edit can call it the same way.
public enum ContentEncodingCheck {
    static let magic: [UInt8] = [0x1f, 0x8b]

    /// Why the edit must not be made, or nil when it may.
    public static func problem(client: S3Client, bucket: String, item: EditItem) throws -> String? {
        let before = item.before.fields[.contentEncoding]
        let after = item.after.fields[.contentEncoding]
        guard isGzip(before) != isGzip(after) else { return nil }
        let gzipped = try startsWithGzipMagic(client: client, bucket: bucket, key: item.key, size: item.before.size,
                                              etag: item.before.etag)
        return problem(setting: after, removing: before, bytesAreGzip: gzipped)
    }

    /// The rule alone: `bytesAreGzip` from the object's first two bytes.
    public static func problem(setting after: String?, removing before: String?, bytesAreGzip: Bool) -> String? {
        if isGzip(after) && !isGzip(before) && !bytesAreGzip {
            return "Content-Encoding: gzip refused: the object's first bytes are not gzip's (1f 8b), so browsers "
                + "could not decode it; upload it compressed (pail cp --gzip) instead"
        }
        if isGzip(before) && !isGzip(after) && bytesAreGzip {
            return "removing Content-Encoding: gzip refused: the object's bytes are gzip (they start with 1f 8b) "
                + "and would be served compressed as if plain; download it with pail cp --gunzip and upload it again"
        }
        return nil
    }

    static func isGzip(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "gzip" }
    }

    static func startsWithGzipMagic(client: S3Client, bucket: String, key: String, size: Int64,
                                    etag: String) throws -> Bool {
        guard size >= 2 else { return false }
        let sink = DataSink(limit: 2)
        _ = try client.getObject(bucket: bucket, key: key, range: 0...1, ifMatch: etag.isEmpty ? nil : etag, sink: sink)
        return Array(sink.data.prefix(2)) == magic
    }
}
