import Foundation

/// gzip through the system's `gzip` would add a dependency on a program; zlib is not in the
/// chosen libraries either, so compression streams through `/bin/gzip` when present.
enum Gzip {
    /// Compresses a file into a temporary file (deleted by the caller) and returns its path.
    static func compressFile(_ path: String) throws -> String {
        let temp = NSTemporaryDirectory() + "pail-gzip-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).gz"
        guard FileManager.default.createFile(atPath: temp, contents: nil), let out = FileHandle(forWritingAtPath: temp) else {
            throw NSError(domain: "pail", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot create \(temp)"])
        }
        defer { try? out.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/bin/gzip") ? "/bin/gzip" : "/usr/bin/gzip")
        // -n: no name or time stamp inside, so the same file always compresses to the same bytes.
        process.arguments = ["-c", "-n", "-9", path]
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            unlink(temp)
            throw NSError(domain: "pail", code: 1, userInfo: [NSLocalizedDescriptionKey: "gzip failed on \(path)"])
        }
        return temp
    }
}
