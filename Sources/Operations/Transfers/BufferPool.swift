import Foundation
import S3

/// Equal-sized buffers handed out and taken back, so their pages stay mapped between uses.
public final class BufferPool: @unchecked Sendable {
    public let size: Int
    private let lock = NSLock()
    private var free: [UnsafeMutableRawPointer] = []
    /// Buffers made so far: as many as were ever in use at once.
    public private(set) var allocated = 0

    public init(size: Int) { self.size = size }

    deinit { free.forEach { $0.deallocate() } }

    public func take() -> UnsafeMutableRawPointer {
        lock.withLock {
            if let reused = free.popLast() { return reused }
            allocated += 1
            return .allocate(byteCount: size, alignment: 4096)
        }
    }

    public func give(_ buffer: UnsafeMutableRawPointer) {
        lock.withLock { free.append(buffer) }
    }
}
