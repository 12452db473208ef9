import Foundation
import S3

/// Saves and removes bookmarks in pail's configuration file. Only the lines of the bookmark
/// concerned change: every other byte of the file, comments and blank lines included, stays
/// as it was. The new file is written under a private, unpredictable temporary name beside
/// the old one, flushed and renamed over it, so a reader sees the old file or the new one,
/// never half of one. Two pails saving at once take turns on a lock of the folder (`flock`),
/// each reading the file afresh, so neither loses the other's bookmark.
///
/// A configuration file that is a symbolic link (a dotfiles checkout, say) is edited where
/// the link points, and the link stays; the link must end at a regular file of this user.
public struct BookmarkStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public init(environment env: [String: String]) { path = PailConfig.path(environment: env) }

    /// The bookmarks of the file, in file order; none when there is no file.
    public func list() throws -> [Bookmark] {
        guard let file = try AWSConfigFile.load(path, inlineComments: true) else { return [] }
        return try PailConfig.parse(file).bookmarks
    }

    /// Adds the bookmark, or gives an existing one of that name its new place.
    public func save(_ bookmark: Bookmark) throws {
        try edit { Self.edited($0, name: bookmark.name, uri: bookmark.uri) }
    }

    /// Removes the bookmark; false when there was none of that name.
    @discardableResult
    public func remove(named name: String) throws -> Bool {
        var found = false
        try edit { bytes in
            let out = Self.edited(bytes, name: name, uri: nil)
            found = out != bytes
            return out
        }
        return found
    }

    // MARK: - The file

    /// Where the writes go: the path itself, or the regular file a link at it ends at.
    func target() throws -> String {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            guard errno == ENOENT else {
                throw S3Error.local("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            return path
        }
        var target = path
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard let real = realpath(path, nil) else {
                throw S3Error.local("\(path) is a link to nothing; point it at a file, or remove it")
            }
            target = String(cString: real)
            free(real)
            guard stat(target, &st) == 0 else {
                throw S3Error.local("cannot read \(target): \(String(cString: strerror(errno)))")
            }
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw S3Error.local("\(target) is not a regular file; bookmarks are saved only in a regular file")
        }
        guard st.st_uid == geteuid() else {
            throw S3Error.local("\(target) belongs to another user; bookmarks are saved only in your own file")
        }
        return target
    }

    private func edit(_ change: ([UInt8]) -> [UInt8]) throws {
        let file = try target()
        let folder = (file as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch { throw S3Error.local("cannot create \(folder): \(error.localizedDescription)") }
        }
        let lock = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lock >= 0 else { throw S3Error.local("cannot open \(folder): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw S3Error.local("cannot lock \(folder): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(lock, LOCK_UN) }
        // Read under the lock: another pail may have just written.
        let old = try read(file)
        // A file pail cannot parse is not edited: what a change to it means is unclear.
        do {
            _ = try PailConfig.parse(
                AWSConfigFile(
                    path: file, text: String(decoding: old, as: UTF8.self),
                    inlineComments: true))
        } catch {
            throw S3Error.configuration("\(error); fix the file first, then save the bookmark again")
        }
        let new = change(old)
        guard new != old else { return }
        try replace(file, with: new, in: folder)
    }

    private func read(_ file: String) throws -> [UInt8] {
        let fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 && errno == ENOENT { return [] }
        guard fd >= 0 else { throw S3Error.local("cannot read \(file): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw S3Error.local("cannot read \(file): \(String(cString: strerror(errno)))") }
            if n == 0 { return out }
            // A configuration file is small; a huge one is a mistake, not something to hold.
            guard out.count + n <= 16 << 20 else { throw S3Error.local("\(file) is larger than 16 MiB") }
            out += buffer[0..<n]
        }
    }

    private func replace(_ file: String, with bytes: [UInt8], in folder: String) throws {
        let base = (file as NSString).lastPathComponent
        let temporary = folder + "/." + base + ".pail-" + UUID().uuidString.prefix(12) + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw S3Error.local("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temporary) }
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw S3Error.local("cannot write \(temporary): \(String(cString: strerror(errno)))") }
            offset += n
        }
        guard fsync(fd) == 0 else {
            throw S3Error.local("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, file) == 0 else {
            throw S3Error.local("cannot replace \(file): \(String(cString: strerror(errno)))")
        }
        ok = true
    }

    // MARK: - The text

    /// The file's bytes with bookmark `name` set to `uri` (nil: removed). The first line
    /// naming it in a `[bookmarks]` section is rewritten in place and later ones dropped;
    /// a new bookmark goes after the last setting of the last `[bookmarks]` section, or in a
    /// new section at the end. Every other line is kept byte for byte.
    static func edited(_ bytes: [UInt8], name: String, uri: String?) -> [UInt8] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
            lines.append(bytes[start...i])
            start = i + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        let newline: [UInt8] =
            lines.first.map { $0.count >= 2 && $0[$0.endIndex - 2] == 13 && $0.last == 10 } == true
            ? [13, 10] : [10]
        let entry = uri.map { Array("\(name) = \($0)".utf8) + newline }
        var out: [ArraySlice<UInt8>] = []
        var inBookmarks = false
        var written = false
        var insertAt: Int?
        for line in lines {
            var text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("["), let cut = AWSConfigFile.inlineCommentStart(Substring(text)) {
                text = text[..<cut].trimmingCharacters(in: .whitespaces)
            }
            if text.hasPrefix("[") {
                inBookmarks =
                    text.hasSuffix("]")
                    && text.dropFirst().dropLast().trimmingCharacters(in: .whitespaces) == "bookmarks"
                out.append(line)
                if inBookmarks { insertAt = out.count }
                continue
            }
            if inBookmarks && !text.isEmpty && !text.hasPrefix("#") && !text.hasPrefix(";") {
                if let eq = text.firstIndex(of: "="), text[..<eq].trimmingCharacters(in: .whitespaces) == name {
                    if let entry, !written {
                        out.append(entry[...])
                        written = true
                        insertAt = out.count
                    }
                    continue
                }
                out.append(line)
                insertAt = out.count
                continue
            }
            out.append(line)
        }
        if let entry, !written {
            if let at = insertAt {
                // The line before may be the file's last and lack its newline.
                if at > 0, out[at - 1].last != 10 { out[at - 1] = (Array(out[at - 1]) + newline)[...] }
                out.insert(entry[...], at: at)
            } else {
                if let last = out.last, last.last != 10 { out[out.count - 1] = (Array(last) + newline)[...] }
                let separator: [UInt8] = out.isEmpty ? [] : newline
                out.append((separator + Array("[bookmarks]".utf8) + newline + entry)[...])
            }
        }
        return out.flatMap { $0 }
    }
}
