import Foundation
import S3

/// Writes a download into an open file at an offset. A retried range goes on where it was cut
/// (`ResumableSink`); anything else retried starts again at the offset.
///
/// curl hands the body over 16 KiB at a time whatever its receive buffer, and one `pwrite`
/// per piece made the file system calls the largest cost of a download (65,536 per GiB).
/// The sink gathers pieces into a buffer from `buffers` and writes it when full and at
/// `finish()`, which gives the buffer back.
public final class FileSink: ResumableSink {
    /// 4,096 writes per GiB. Measured on a 1 GiB download: 256 KiB as fast as any size, while
    /// 1 MiB buffers were often 50% slower (copying a buffer larger than the CPU cache into
    /// the page cache), and 16 KiB writes spent their time in the file system's lock.
    public static let bufferSize = 256 << 10

    private let fd: Int32
    private let baseOffset: off_t
    /// Where the buffer's first byte goes.
    private var offset: off_t
    private let pool: BufferPool
    private var buffer: UnsafeMutableRawPointer?
    private var buffered = 0
    /// Bytes accepted, buffered or on disk; all of them are on disk after `finish()`.
    public private(set) var written: Int64 = 0
    /// MD5 of the bytes as they stream through, when asked for (saves reading the file again).
    private var digest: StreamingDigest?
    private let hashing: Bool
    /// The most bytes this sink may write: a range's length. A server that ignores Range and
    /// sends the whole object must not write over the neighbouring ranges.
    private let limit: Int64?
    /// Whether `limit` is a range's length (a server that ignores Range sends more) or the
    /// object's listed size (a server that sends more than it listed).
    private let ranged: Bool

    public init(fd: Int32, offset: Int64 = 0, md5: Bool = false, limit: Int64? = nil, ranged: Bool = true,
                buffers: BufferPool) {
        self.fd = fd
        self.limit = limit
        self.ranged = ranged
        baseOffset = off_t(offset)
        self.offset = off_t(offset)
        pool = buffers
        hashing = md5
        digest = md5 ? StreamingDigest(.md5) : nil
    }

    deinit { if let buffer { pool.give(buffer) } }

    public func md5Hex() -> String? { digest?.finalize().hex }

    /// A retried range goes on from here: everything accepted lands at its offset.
    public var received: Int64 { written }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if let limit, written + Int64(bytes.count) > limit {
            throw S3Error.local(ranged
                ? "the server sent more than the \(limit) bytes asked for (it may not support ranged reads)"
                : "the server sent more than the \(limit) bytes the object has")
        }
        written += Int64(bytes.count)
        digest?.update(base, count: bytes.count)
        if buffered == 0 && bytes.count >= pool.size {
            try writeOut(base, bytes.count)
            return
        }
        let target = buffer ?? pool.take()
        buffer = target
        var done = 0
        while done < bytes.count {
            let n = min(pool.size - buffered, bytes.count - done)
            (target + buffered).copyMemory(from: base + done, byteCount: n)
            buffered += n
            done += n
            if buffered == pool.size { try flush() }
        }
    }

    public func finish() throws {
        try flush()
        if let buffer { pool.give(buffer) }
        buffer = nil
    }

    public func reset() throws {
        offset = baseOffset
        buffered = 0
        written = 0
        if hashing { digest = StreamingDigest(.md5) }
    }

    private func flush() throws {
        guard buffered > 0, let buffer else { return }
        try writeOut(buffer, buffered)
        buffered = 0
    }

    private func writeOut(_ start: UnsafeRawPointer, _ count: Int) throws {
        var done = 0
        while done < count {
            let n = pwrite(fd, start + done, count - done, offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw S3Error.local(String(cString: strerror(errno)))
            }
            done += n
            offset += off_t(n)
        }
    }
}
