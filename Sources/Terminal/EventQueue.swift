import Browser
import Foundation

/// Where worker threads post events for the UI thread. Posting writes a byte to a pipe so
/// the run loop's poll() wakes at once; the loop drains everything queued in one go.
public final class EventQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [BrowserEvent] = []
    let readFD: Int32
    private let writeFD: Int32

    public init() {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    public func post(_ event: BrowserEvent) {
        lock.lock()
        let wasEmpty = items.isEmpty
        items.append(event)
        lock.unlock()
        if wasEmpty {
            var b: UInt8 = 1
            _ = write(writeFD, &b, 1)
        }
    }

    func drain() -> [BrowserEvent] {
        var buf = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buf, buf.count) > 0 {}
        lock.lock()
        defer { lock.unlock() }
        let out = items
        items.removeAll(keepingCapacity: true)
        return out
    }
}
