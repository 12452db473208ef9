import COpenSSL
import Foundation

/// SHA-256, HMAC-SHA256 and MD5 over libcrypto, with hex and base64 forms.
public enum Digest {
    public static func sha256(_ data: Data) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { raw in pail_sha256(raw.baseAddress, raw.count, &out) }
        return out
    }

    public static func sha256(_ string: String) -> [UInt8] { sha256(Data(string.utf8)) }

    public static func md5(_ data: Data) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        data.withUnsafeBytes { raw in pail_md5(raw.baseAddress, raw.count, &out) }
        return out
    }

    public static func hmacSHA256(key: [UInt8], _ message: String) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let bytes = Array(message.utf8)
        pail_hmac_sha256(key, key.count, bytes, bytes.count, &out)
        return out
    }

    /// SHA-1, for file names only (the AWS CLI's SSO token cache), never for integrity.
    public static func sha1(_ string: String) -> [UInt8] {
        let digest = StreamingDigest(.sha1)
        digest.update(Data(string.utf8))
        return digest.finalize()
    }

    public static let emptySHA256Hex =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}

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

extension Array where Element == UInt8 {
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var base64: String { Data(self).base64EncodedString() }
}
