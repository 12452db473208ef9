import Foundation

public enum ETag {
    /// S3 rule 12: only a 32-hex ETag may be an MD5 (multipart ETags end in "-N"; SSE-KMS and
    /// some servers' ETags are not MD5s at all, which callers check separately).
    public static func isPlainMD5(_ etag: String) -> Bool {
        etag.utf8.count == 32 && etag.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46)
        }
    }

    /// A multipart upload's ETag: the MD5 of its parts' MD5s, then "-" and the part count.
    public static func multipart(partMD5s: [[UInt8]]) -> String {
        Digest.md5(Data(partMD5s.flatMap { $0 })).hex + "-\(partMD5s.count)"
    }
}
