import Foundation
import S3

/// One file up or down, the plain way: a single PutObject with Content-MD5, or a GetObject
/// into a temporary file beside the destination, renamed once its size checks out.
public enum SingleTransfer {
    public struct UploadOptions: Sendable {
        public var contentType: String?
        public var cacheControl: String?
        public var contentEncoding: String?
        public var contentDisposition: String?
        public var contentLanguage: String?
        public var metadata: [(String, String)] = []
        public init() {}

        func headers(forKey key: String) -> [(String, String)] {
            var h: [(String, String)] = [("Content-Type", contentType ?? ContentTypes.guess(forName: key))]
            if let cacheControl { h.append(("Cache-Control", cacheControl)) }
            if let contentEncoding { h.append(("Content-Encoding", contentEncoding)) }
            if let contentDisposition { h.append(("Content-Disposition", contentDisposition)) }
            if let contentLanguage { h.append(("Content-Language", contentLanguage)) }
            for (k, v) in metadata { h.append(("x-amz-meta-\(k.lowercased())", v)) }
            return h
        }
    }

    @discardableResult
    public static func upload(client: S3Client, file: String, bucket: String, key: String,
                              options: UploadOptions = UploadOptions(), progress: TransferProgress? = nil,
                              cancel: CancellationFlag? = nil) throws -> S3Client.PutResult {
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw S3Error.local("\(file) is not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        return try client.putObject(bucket: bucket, key: key, body: .file(path: file, offset: 0, length: size),
                                    headers: options.headers(forKey: key), progress: progress, cancel: cancel)
    }

    /// Downloads to `destination`, never leaving a partial file there.
    @discardableResult
    public static func download(client: S3Client, bucket: String, key: String, destination: String,
                                overwrite: Bool, progress: TransferProgress? = nil,
                                cancel: CancellationFlag? = nil) throws -> ObjectHead {
        if !overwrite && FileManager.default.fileExists(atPath: destination) {
            throw S3Error.local("\(destination) exists; pass --overwrite to replace it")
        }
        let dir = (destination as NSString).deletingLastPathComponent
        let base = (destination as NSString).lastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.\(base).pail-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).part"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw S3Error.local("cannot create \(temp): \(String(cString: strerror(errno)))") }
        var keep = false
        defer {
            close(fd)
            if !keep { unlink(temp) }
        }
        let sink = FileSink(fd: fd)
        let head = try client.getObject(bucket: bucket, key: key, sink: sink, progress: progress, cancel: cancel)
        guard sink.written == head.size else {
            throw S3Error.local("download of s3://\(bucket)/\(key) is incomplete: \(sink.written) of \(head.size) bytes")
        }
        if Self.isPlainMD5(head.etag) {
            let md5 = try StreamingDigest.ofFile(temp, kind: .md5).hex
            guard md5 == head.etag.lowercased() else {
                throw S3Error.local("download of s3://\(bucket)/\(key) does not match its ETag (MD5 \(md5))")
            }
        }
        guard rename(temp, destination) == 0 else {
            throw S3Error.local("cannot move the download to \(destination): \(String(cString: strerror(errno)))")
        }
        keep = true
        return head
    }

    /// S3 rule 12: only a 32-hex ETag may be an MD5 (multipart ETags have a "-N" suffix).
    public static func isPlainMD5(_ etag: String) -> Bool {
        etag.utf8.count == 32 && etag.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
    }
}
