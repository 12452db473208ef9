import Foundation
import S3

/// Writes a download into an open file; a retry truncates it and starts again.
public final class FileSink: ResponseSink {
    private let fd: Int32
    private let baseOffset: off_t
    private var offset: off_t
    public private(set) var written: Int64 = 0
    /// MD5 of the bytes as they stream through, when asked for (saves reading the file again).
    private var digest: StreamingDigest?
    private let hashing: Bool

    public init(fd: Int32, offset: Int64 = 0, md5: Bool = false) {
        self.fd = fd
        baseOffset = off_t(offset)
        self.offset = off_t(offset)
        hashing = md5
        digest = md5 ? StreamingDigest(.md5) : nil
    }

    public func md5Hex() -> String? { digest?.finalize().hex }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw S3Error.local(String(cString: strerror(errno)))
            }
            done += n
            offset += off_t(n)
        }
        written += Int64(bytes.count)
        if let base = bytes.baseAddress { digest?.update(base, count: bytes.count) }
    }

    public func reset() throws {
        offset = baseOffset
        written = 0
        if hashing { digest = StreamingDigest(.md5) }
    }
}
