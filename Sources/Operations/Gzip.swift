import Foundation
import S3

/// gzip through the system's `gzip` would add a dependency on a program; zlib is not in the
/// chosen libraries either, so compression streams through `/bin/gzip` when present.
enum Gzip {
    /// Compresses a file into a temporary file (deleted by the caller) and returns its path.
    ///
    /// The temporary folder is shared with every user of the machine: the name is
    /// unpredictable (64 random bits) and the file is created with `O_EXCL | O_NOFOLLOW`,
    /// readable only by its owner, so a link planted there cannot redirect the write.
    static func compressFile(_ path: String) throws -> String {
        var folder = NSTemporaryDirectory()
        if !folder.hasSuffix("/") { folder += "/" }
        var temp = ""
        var fd: Int32 = -1
        for _ in 0..<8 where fd < 0 {
            temp = folder + "pail-gzip-" + String(UInt64.random(in: .min ... .max), radix: 16) + ".gz"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 && errno != EEXIST { break }
        }
        guard fd >= 0 else { throw S3Error.local("cannot create \(temp): \(String(cString: strerror(errno)))") }
        let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        defer { try? out.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/bin/gzip") ? "/bin/gzip" : "/usr/bin/gzip")
        // -n: no name or time stamp inside, so the same file always compresses to the same bytes.
        process.arguments = ["-c", "-n", "-9", path]
        process.standardOutput = out
        do {
            try process.run()
        } catch {
            unlink(temp)
            throw S3Error.local("cannot run gzip: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            unlink(temp)
            throw S3Error.local("gzip failed on \(path)")
        }
        return temp
    }
}
