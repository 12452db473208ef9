import Foundation
import Operations
import S3

enum StandardError {
    /// With write(2), not FileHandle: FileHandle traps on a failed write, and after a hang-up
    /// (the terminal gone) or with its reader closed, a failed write must not kill pail while
    /// it aborts uploads and removes temporary files.
    static func write(_ s: String) {
        var bytes = Array(s.utf8)
        bytes.withUnsafeMutableBytes { p in
            var offset = 0
            while offset < p.count {
                let n = Foundation.write(2, p.baseAddress! + offset, p.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
    }
    static var isTerminal: Bool { isatty(2) == 1 }
}
