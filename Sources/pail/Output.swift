import Foundation
import Operations
import S3

/// Buffered standard output: a 20,000-key listing is one write per 64 KiB, not per line.
/// Lines written from several threads stay whole: the buffer is only touched under `lock`.
final class StandardOutput: @unchecked Sendable {
    static let shared = StandardOutput()
    private let lock = NSLock()
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ s: String) {
        lock.withLock {
            buffer.append(contentsOf: s.utf8)
            if buffer.count >= 1 << 16 { flushLocked() }
        }
    }

    func flush() { lock.withLock { flushLocked() } }

    private func flushLocked() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                let n = Foundation.write(1, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { break }  // closed pipe (e.g. `| head`): drop the rest
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

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

enum Format {
    /// The fields every object has in JSON output (`ls`, and `stat` before its own).
    static func objectFields(_ j: inout JSONWriter, key: String, size: Int64, lastModified: Date?, etag: String,
                             storageClass: String?) {
        j.field("key", key)
        j.field("size", size)
        j.field("last_modified", lastModified.map(Timestamps.formatISO8601))
        j.field("etag", etag)
        j.field("storage_class", storageClass ?? "STANDARD")
    }

    static func jsonObject(_ o: ObjectSummary) -> String {
        var j = JSONWriter()
        objectFields(&j, key: o.key, size: o.size, lastModified: o.lastModified, etag: o.etag,
                     storageClass: o.storageClass)
        return j.line
    }

    static func jsonPrefix(_ p: String) -> String {
        var j = JSONWriter()
        j.field("prefix", p)
        return j.line
    }

    /// `2026-11-24 18:08:48       1234 name`, as `aws s3 ls` prints.
    static func textObject(_ o: ObjectSummary, name: String) -> String {
        let date = o.lastModified.map(Timestamps.formatLocal) ?? "                   "
        let size = String(o.size)
        let pad = size.count < 10 ? String(repeating: " ", count: 10 - size.count) : ""
        return "\(date) \(pad)\(size) \(TerminalSafe.escape(name))\n"
    }

    static func textPrefix(_ name: String) -> String {
        "                           PRE \(TerminalSafe.escape(name))\n"
    }
}
