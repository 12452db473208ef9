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
