import Foundation
import S3

/// Files only this user can read, created new (O_EXCL, no following a link at the name).
public enum PrivateFile {
    public static func write(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw S3Error.local("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        try data.withUnsafeBytes { p in
            while offset < p.count {
                let n = Foundation.write(fd, p.baseAddress! + offset, p.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw S3Error.local("cannot write \(path): \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }
}
