import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `--debug FILE` log names every request, bucket and key: it is created readable by
/// its owner only (0600), never through a symbolic link (someone else's link could point
/// it at a file of theirs to overwrite, or at a world-readable place), and only as a
/// regular file of this user. An existing one is truncated and made 0600.
public enum DebugLog {
    public static func create(_ path: String) throws -> FileHandle {
        // O_NONBLOCK: opening a FIFO for writing would otherwise wait for a reader.
        let fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            let why = errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))
            throw S3Error.local("cannot write the debug log \(path): \(why)")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == getuid() else {
            close(fd)
            throw S3Error.local("cannot write the debug log \(path): not a regular file of this user")
        }
        guard ftruncate(fd, 0) == 0, fchmod(fd, 0o600) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw S3Error.local("cannot write the debug log \(path): \(why)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
