import Foundation
import S3

/// A download folder opened once, below which every folder and file is reached relative to
/// that handle (`openat`, `mkdirat`, `renameat`), never through a symbolic link.
///
/// The destination the person named may itself be (or pass through) a link: they chose it.
/// Everything below it comes from object keys and from whatever already lies in the folder,
/// and a link there (`dest/media -> /etc`) would send files elsewhere; so folders are opened
/// with `O_NOFOLLOW | O_DIRECTORY`, temporary files are created with `O_EXCL | O_NOFOLLOW`
/// under unpredictable names, and what cannot be written safely is refused with its reason.
public final class SafeDestination: @unchecked Sendable {
    /// The folder as named, for messages.
    public let path: String
    private let rootFD: Int32
    /// Guards `swept`.
    private let lock = NSLock()
    /// Folders (relative paths) whose stale temporary files were removed in this run.
    private var swept = Set<ObjectKey>()

    /// Opens `path`, creating it and its parents first if needed.
    public init(path: String) throws {
        self.path = path
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw S3Error.local("cannot create \(path): \(error.localizedDescription)")
            }
            fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw S3Error.local("cannot open the folder \(path): \(Self.lastError())") }
        rootFD = fd
    }

    deinit { close(rootFD) }

    /// The open folder `components` below the destination (created where missing), for the
    /// caller to close. A link or a file where a folder should be is refused, not followed.
    /// The first time a folder is opened in a run, pail's stale temporary files there (left by
    /// a run that was killed) are removed.
    public func openFolder(_ components: [String]) throws -> Int32 {
        var current = dup(rootFD)
        guard current >= 0 else { throw S3Error.local("cannot open the folder \(path): \(Self.lastError())") }
        var shown = path
        for name in components {
            shown += "/" + name
            if mkdirat(current, name, 0o777) != 0 && errno != EEXIST {
                let why = Self.lastError()
                close(current)
                throw S3Error.local("cannot create the folder \(shown): \(why)")
            }
            let next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 {
                let code = errno
                let kind = Self.entry(name, in: current)
                close(current)
                switch kind {
                case .link:
                    throw S3Error.local(
                        "\(shown) is a symbolic link; pail does not follow links inside the destination")
                case .file, .other:
                    throw S3Error.local("\(shown) is in the way: it is not a folder")
                default:
                    throw S3Error.local("cannot open the folder \(shown): \(String(cString: strerror(code)))")
                }
            }
            close(current)
            current = next
        }
        let key = ObjectKey(components.joined(separator: "/"))
        if lock.withLock({ swept.insert(key).inserted }) { Self.removeStaleTemporaries(in: current) }
        return current
    }

    /// What a name in a folder is, without following a link.
    public enum Entry: Equatable, Sendable {
        case absent
        case file(device: UInt64, inode: UInt64)
        case link, folder, other
    }

    public static func entry(_ name: String, in folder: Int32) -> Entry {
        var st = stat()
        guard fstatat(folder, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return .absent }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        case S_IFLNK: return .link
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    /// Why `name` cannot be a download's final name, or nil when it is absent or a file.
    public static func refusal(_ entry: Entry, shown: String) -> String? {
        switch entry {
        case .link:
            return "\(shown) is a symbolic link; pail neither writes through nor replaces links (remove it first)"
        case .folder: return "\(shown) is a folder"
        case .other: return "\(shown) is not a regular file (a pipe, socket or device)"
        case .absent, .file: return nil
        }
    }

    // MARK: Temporary files

    /// `.pail-<16 hex digits>.part`: 27 bytes whatever the final name's length, so a
    /// 255-byte name still downloads, and unpredictable (64 random bits from the system's
    /// generator), so nobody can plant a link at it beforehand; `O_EXCL | O_NOFOLLOW` would
    /// refuse one anyway.
    static let temporaryPrefix = ".pail-"
    static let temporarySuffix = ".part"

    public static func isTemporaryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let prefix = Array(temporaryPrefix.utf8), suffix = Array(temporarySuffix.utf8)
        guard bytes.count == prefix.count + 16 + suffix.count, bytes.starts(with: prefix),
              Array(bytes.suffix(suffix.count)) == suffix else { return false }
        let digits = bytes[prefix.count..<(prefix.count + 16)]
        return digits.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    public struct Temporary: Sendable {
        public let fd: Int32
        public let name: String
    }

    /// A new temporary file in `folder`, held under an exclusive `flock` until it is closed:
    /// a file of this name that nobody holds locked belongs to a pail that died, which is
    /// how the next run knows it may remove it (a process id could be reused or belong to
    /// another machine sharing the folder).
    /// `random` is the system's generator; tests pass one that picks a name they planted.
    public static func createTemporary(in folder: Int32, shownFolder: String,
                                       random: () -> UInt64 = { UInt64.random(in: .min ... .max) }
    ) throws -> Temporary {
        for _ in 0..<8 {
            let random = random()
            let hex = String(random, radix: 16)
            let name = temporaryPrefix + String(repeating: "0", count: 16 - hex.utf8.count) + hex + temporarySuffix
            let fd = openat(folder, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw S3Error.local("cannot create a temporary file in \(shownFolder): \(lastError())")
            }
            // A sweeping pail may have locked (and then removed) the file between its
            // creation and this lock: then the name no longer leads to this file; take another.
            if flock(fd, LOCK_EX | LOCK_NB) == 0, case .file(let dev, let ino) = entry(name, in: folder),
               sameFile(fd, device: dev, inode: ino) {
                return Temporary(fd: fd, name: name)
            }
            close(fd)
        }
        throw S3Error.local("cannot create a temporary file in \(shownFolder): every name tried was taken")
    }

    /// Removes the temporary files in `folder` that no running pail holds; returns how many.
    @discardableResult
    public static func removeStaleTemporaries(in folder: Int32) -> Int {
        let listing = dup(folder)
        guard listing >= 0 else { return 0 }
        guard let dir = fdopendir(listing) else { close(listing); return 0 }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafePointer(to: &e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if isTemporaryName(name) { names.append(name) }
        }
        var removed = 0
        for name in names {
            // O_NONBLOCK: a pipe planted under such a name must not block the open.
            let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0, case .file(let dev, let ino) = entry(name, in: folder),
                  sameFile(fd, device: dev, inode: ino) else { continue }
            if unlinkat(folder, name, 0) == 0 { removed += 1 }
        }
        return removed
    }

    static func sameFile(_ fd: Int32, device: UInt64, inode: UInt64) -> Bool {
        var st = stat()
        return fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
            && UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
    }

    // MARK: Room

    /// S3's largest object; a size above it (or below zero) is a server's mistake.
    public static let largestObject: Int64 = 5 << 40

    /// Refuses a download of `size` bytes that the folder (its free space) or this process
    /// (its file size limit, `ulimit -f`) cannot take, before anything is created.
    public static func checkRoom(for size: Int64, in folder: Int32, shownFolder: String) throws {
        guard size >= 0, size <= largestObject else {
            throw S3Error.local("the server gives a size of \(size) bytes, outside 0 to 5 TiB (S3's largest object); "
                                + "pail does not download it")
        }
        var vfs = statvfs()
        if fstatvfs(folder, &vfs) == 0 {
            let free = UInt64(vfs.f_bavail) &* UInt64(vfs.f_frsize)
            if UInt64(size) > free {
                throw S3Error.local("not enough room in \(shownFolder): the object needs \(ByteCount.format(size)), "
                                    + "\(ByteCount.format(Int64(clamping: free))) free")
            }
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
           UInt64(size) > UInt64(limit.rlim_cur) {
            let most = ByteCount.format(Int64(clamping: UInt64(limit.rlim_cur)))
            throw S3Error.local("the object needs \(ByteCount.format(size)), "
                                + "more than this process may write to one file (ulimit -f: \(most))")
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
