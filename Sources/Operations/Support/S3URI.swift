import S3

/// `s3://bucket[/key-or-prefix]`, the target form every command takes.
public struct S3URI: Equatable, Sendable, CustomStringConvertible {
    public var bucket: String
    /// The key or prefix after the bucket, exactly as given (may be empty).
    public var key: String

    public init(bucket: String, key: String = "") {
        self.bucket = bucket
        self.key = key
    }

    public init(parsing text: String) throws {
        guard text.hasBytePrefix("s3://") else {
            throw S3Error.configuration("\"\(TerminalSafe.escape(text))\" is not an S3 target: "
                                        + "write it as s3://bucket/key")
        }
        // By scalars, not characters: a "/" followed by a combining mark is one character.
        let rest = text.droppingBytePrefix("s3://").unicodeScalars
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else {
            throw S3Error.configuration("\"\(TerminalSafe.escape(text))\" names no bucket: write it as s3://bucket/key")
        }
        self.bucket = String(bucket)
        key = String(rest.dropFirst(bucket.count + 1))
    }

    /// The target of a command that works on one object (`acl`, `tags`): a bucket alone is an
    /// error that names the command.
    public init(object text: String, command: String) throws {
        try self.init(parsing: text)
        guard !key.isEmpty else { throw S3Error.configuration("\(command) takes an object (s3://bucket/key)") }
    }

    public static func isS3(_ text: String) -> Bool { text.hasBytePrefix("s3://") }

    /// A prefix taken up to a "/" (S3 rule 8), so `media/2023` never reaches
    /// `media/2023-old/`; "" stays the whole bucket.
    public static func boundedPrefix(_ key: String) -> String {
        key.isEmpty || key.hasByteSuffix("/") ? key : key + "/"
    }

    /// What a key or prefix sits in: `a/b/c` and `a/b/c/` give `a/b/`. Dropping it from keys
    /// keeps the item's own name.
    public static func parent(of key: String) -> String {
        // By bytes: dropping the last Character could take a mark along with the "/".
        var trimmed = Array(key.utf8)
        if trimmed.last == UInt8(ascii: "/") { trimmed.removeLast() }
        return trimmed.lastIndex(of: UInt8(ascii: "/")).map { String(decoding: trimmed[...$0], as: UTF8.self) } ?? ""
    }

    public var description: String { "s3://\(bucket)/\(key)" }
}
