import S3

/// A saved `s3://` place: `[bookmarks]` in pail's configuration file, `m = s3://site/media/`.
/// `m` then a letter saves one in the browser, `'` then the letter goes there, and
/// `pail NAME` opens it.
public struct Bookmark: Sendable, Equatable {
    /// A letter or a name: letters, digits, `_`, `.` and `-`, starting with a letter or digit,
    /// case-sensitive (`m` and `M` are two bookmarks).
    public var name: String
    /// The place, as written: `s3://bucket` or `s3://bucket/prefix/`.
    public var uri: String

    /// `at` says where the bookmark comes from (`FILE:LINE`, `the command line`) in messages.
    public init(name: String, uri: String, at: String = "bookmark") throws {
        guard Self.isValidName(name) else {
            throw S3Error.configuration(
                "\(at): bookmark name \"\(TerminalSafe.escape(name))\" must be a letter or a name "
                    + "of letters, digits, _, . and - (at most 64)")
        }
        // One line of the file: nothing that would end or change it.
        guard !uri.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            uri.trimmingCharacters(in: .whitespaces) == uri,
            AWSConfigFile.inlineCommentStart(Substring(uri)) == nil
        else {
            throw S3Error.configuration(
                "\(at): bookmark \(name) = \"\(TerminalSafe.escape(uri))\": "
                    + "a bookmark cannot hold control characters, start or end with a space, "
                    + "or hold \" #\" or \" ;\" (the file would read a comment there)")
        }
        do { _ = try S3URI(parsing: uri) } catch {
            throw S3Error.configuration("\(at): bookmark \(name): \(error)")
        }
        self.name = name
        self.uri = uri
    }

    public var target: S3URI { (try? S3URI(parsing: uri)) ?? S3URI(bucket: "") }

    public static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        func alnum(_ s: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
        }
        guard let first = scalars.first, alnum(first), scalars.count <= 64 else { return false }
        return scalars.allSatisfy { alnum($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// What `pail TARGET` opens: an `s3://` URI as it is, else the bookmark of that name.
    /// An unknown name is one line naming the bookmarks there are; `warning` is the reason
    /// the configuration file could not be read, said instead when there is one.
    public static func resolve(_ argument: String, in config: PailConfig, warning: String? = nil) throws -> S3URI {
        if S3URI.isS3(argument) { return try S3URI(parsing: argument) }
        if let b = config.bookmark(named: argument) { return try S3URI(parsing: b.uri) }
        let shown = TerminalSafe.escape(argument)
        if let warning {
            throw S3Error.configuration(
                "\"\(shown)\" is not an s3:// URI, and the bookmarks cannot be read: \(warning)")
        }
        let names = config.bookmarks.map { TerminalSafe.escape($0.name) }
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }
        let known =
            unique.isEmpty
            ? "there are no bookmarks; save one with `pail bookmark NAME s3://bucket/prefix/`"
            : "bookmarks: " + unique.joined(separator: ", ")
        throw S3Error.configuration("\"\(shown)\" is neither an s3:// URI nor a bookmark (\(known))")
    }
}
