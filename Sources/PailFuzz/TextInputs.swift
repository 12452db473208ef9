#if PAIL_FUZZ
import Foundation
import Operations
import S3

/// Command-line targets and the terminal escaper, with the properties the rest of pail leans on.
enum TextInputs {
    static func runS3URI(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard let uri = try? S3URI(parsing: text) else {
            require(!text.hasBytePrefix("s3://") || text.utf8.dropFirst(5).first == UInt8(ascii: "/")
                        || text.utf8.count == 5, "s3:// with a bucket refused: \(text.debugDescription)")
            return
        }
        // The bucket is the bytes up to the first "/", the key every byte after it: a "/"
        // followed by a combining mark is still the separator (keys are bytes).
        let rest = Array(text.utf8.dropFirst(5))
        let slash = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.count
        require(Array(uri.bucket.utf8) == Array(rest[..<slash]),
                "bucket of \(text.debugDescription) is \(uri.bucket.debugDescription)")
        require(Array(uri.key.utf8) == Array(rest[min(slash + 1, rest.count)...]),
                "key of \(text.debugDescription) is \(uri.key.debugDescription)")
        require((try? S3URI(parsing: uri.description)) == uri, "\(uri) does not parse back")
        let bounded = S3URI.boundedPrefix(uri.key)
        require(bounded.isEmpty || bounded.hasByteSuffix("/"), "boundedPrefix")
        var trimmed = Array(uri.key.utf8)
        if trimmed.last == UInt8(ascii: "/") { trimmed.removeLast() }
        let parent = trimmed.lastIndex(of: UInt8(ascii: "/")).map { Array(trimmed[...$0]) } ?? []
        require(Array(S3URI.parent(of: uri.key).utf8) == parent, "parent of \(uri.key.debugDescription)")
    }

    /// Nothing that leaves the escaper can move the cursor, reorder text or hide, and text
    /// without anything to escape comes back byte for byte.
    static func runTerminalSafe(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let escaped = TerminalSafe.escape(text)
        for u in escaped.unicodeScalars {
            let v = u.value
            require(v >= 0x20 && !(0x7F...0x9F).contains(v) && !TerminalSafe.isUnsafe(u),
                    "escape left U+\(String(v, radix: 16)) raw in \(text.debugDescription)")
        }
        // Control and invisible (format) characters are escaped; anything else is kept.
        if !text.unicodeScalars.contains(where: { TerminalSafe.isUnsafe($0) || $0 == "\\" }) {
            require(escaped.bytesEqual(text), "escape changed \(text.debugDescription)")
        }
    }
}
#endif
