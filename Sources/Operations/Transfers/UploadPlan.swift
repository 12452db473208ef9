import Foundation
import S3

/// What an upload of files and folders sends, and every entry it leaves out with why.
///
/// A path given on the command line is followed if it is a symbolic link (as `cp -r`,
/// `aws s3 cp` and rclone's `-L` do): the person named it. Links found inside a folder are
/// not followed (as rclone does by default): one pointing at `~/.ssh` or `/` would otherwise
/// publish what was never meant to leave the machine. Each such link, and each named pipe,
/// socket, device, unreadable file or folder and name that is not UTF-8, is listed in
/// `skipped`; no pipe is ever opened for reading (that would block).
public struct UploadPlan: Sendable {
    public var sources: [TransferEngine.UploadSource] = []
    public var skipped: [(path: String, reason: String)] = []
    /// Folders given that hold no file to upload.
    public var empty: [String] = []

    public init() {}

    /// Files (and, with `recursive`, folders) under `destination` (a key, or a prefix ending in "/").
    public static func make(paths: [String], destination: String, recursive: Bool) throws -> UploadPlan {
        var plan = UploadPlan()
        let toPrefix = destination.isEmpty || destination.hasByteSuffix("/") || paths.count > 1
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else {
                let code = errno
                var link = stat()
                if lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK {
                    throw S3Error.local("\(path) is a symbolic link to something that does not exist")
                }
                if code == ENOENT { throw S3Error.local("\(path) does not exist") }
                throw S3Error.local("cannot read \(path): \(String(cString: strerror(code)))")
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                guard recursive else { throw S3Error.local("\(path) is a folder: add -r to upload it") }
                let base = URL(fileURLWithPath: path).standardizedFileURL
                let prefix = S3URI.boundedPrefix(destination)
                    + (path.hasByteSuffix("/") ? "" : base.lastPathComponent + "/")
                var folder = path
                while folder.utf8.count > 1 && folder.utf8.last == UInt8(ascii: "/") { folder.removeLast() }
                var files: [TransferEngine.UploadSource] = []
                walk(folder, keyPrefix: prefix, ancestors: [FolderID(st)], files: &files, skipped: &plan.skipped)
                if files.isEmpty { plan.empty.append(path) }
                plan.sources += files.sorted { $0.key.bytesPrecede($1.key) }
            case S_IFREG:
                let name = (path as NSString).lastPathComponent
                plan.sources.append(.init(path: path, key: toPrefix ? destination + name : destination,
                                          size: Int64(st.st_size), inode: UInt64(st.st_ino)))
            default:
                throw S3Error.local("\(path) is not a regular file")
            }
        }
        return plan
    }

    /// A folder by device and inode: a folder met again among its own ancestors (a bind mount
    /// of a parent inside it) is a loop and is not walked again.
    struct FolderID: Equatable {
        var device: UInt64
        var inode: UInt64
        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    private static func walk(_ folder: String, keyPrefix: String, ancestors: [FolderID],
                             files: inout [TransferEngine.UploadSource],
                             skipped: inout [(path: String, reason: String)]) {
        guard let dir = opendir(folder) else {
            skipped.append((folder, "the folder cannot be read: \(String(cString: strerror(errno)))"))
            return
        }
        var names: [String] = []
        var undecodable = 0
        while let e = readdir(dir) {
            let name: String? = withUnsafePointer(to: &e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            guard let name else { undecodable += 1; continue }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        if undecodable > 0 {
            skipped.append((folder, "\(undecodable) name(s) in it are not valid UTF-8, which S3 keys must be"))
        }
        for name in names {
            let path = (folder == "/" ? "" : folder) + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else {
                skipped.append((path, "it cannot be read: \(String(cString: strerror(errno)))"))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                // Opened once now, so an unreadable file is named here rather than failing later.
                let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                guard fd >= 0 else {
                    skipped.append((path, "it cannot be read: \(String(cString: strerror(errno)))"))
                    continue
                }
                close(fd)
                files.append(.init(path: path, key: keyPrefix + name, size: Int64(st.st_size),
                                   inode: UInt64(st.st_ino)))
            case S_IFDIR:
                let id = FolderID(st)
                if ancestors.contains(id) {
                    skipped.append((path, "it is a loop: the same folder as one that contains it"))
                    continue
                }
                walk(path, keyPrefix: keyPrefix + name + "/", ancestors: ancestors + [id], files: &files,
                     skipped: &skipped)
            case S_IFLNK:
                skipped.append((path,
                                "a symbolic link; pail follows links only when they are given on the command line"))
            case S_IFIFO:
                skipped.append((path, "a named pipe (FIFO), not a file"))
            case S_IFSOCK:
                skipped.append((path, "a socket, not a file"))
            default:
                skipped.append((path, "a device, not a file"))
            }
        }
    }
}
