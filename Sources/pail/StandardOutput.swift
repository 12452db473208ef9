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
