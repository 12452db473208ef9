import COpenSSL
import Foundation

/// A digest fed piece by piece, for files streamed from disk.
public final class StreamingDigest {
    public enum Kind: Int32 { case md5 = 0, sha256 = 1, sha1 = 2 }
    private var ctx: OpaquePointer?
    private let kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
        ctx = pail_digest_new(kind.rawValue)
    }

    deinit { if ctx != nil { _ = finalize() } }

    public func update(_ pointer: UnsafeRawPointer, count: Int) {
        pail_digest_update(ctx, pointer, count)
    }

    public func update(_ data: Data) {
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { pail_digest_update(ctx, base, raw.count) }
        }
    }

    public func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let n = pail_digest_final(ctx, &out)
        ctx = nil
        return Array(out.prefix(Int(n)))
    }

    /// Digest of a whole file (or a byte range of it), read through one reused 256 KiB
    /// buffer: small enough to stay in the CPU cache between the read and the hash.
    public static func ofFile(_ path: String, kind: Kind, offset: UInt64 = 0,
                              length: UInt64? = nil) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw S3Error.local("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        let fileSize = fstat(fd, &st) == 0 ? UInt64(max(st.st_size, 0)) : UInt64.max
        let toRead = min(length ?? UInt64.max, fileSize &- min(offset, fileSize))
        // A small file gets a buffer of its own size (many are hashed at once).
        let size = Int(max(4096, min(UInt64(256 << 10), toRead)))
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        let digest = StreamingDigest(kind)
        var position = off_t(offset)
        var remaining = length ?? UInt64.max
        while remaining > 0 {
            let n = pread(fd, buffer, Int(min(remaining, UInt64(size))), position)
            if n < 0 {
                if errno == EINTR { continue }
                throw S3Error.local("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            digest.update(buffer, count: n)
            position += off_t(n)
            remaining -= UInt64(n)
        }
        return digest.finalize()
    }
}
