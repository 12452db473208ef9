import Foundation
import Operations
import S3

/// A live count of long work on stderr ("listed 12,345 objects, 3.2 GiB, 4,100/s"): only when
/// stderr is a terminal, so pipes, scripts and logs never see it; redrawn in place with \r at
/// most ten times a second (a listing delivers thousands of keys a second) and erased at the end,
/// so the command's own last lines stand alone.
final class Progress: @unchecked Sendable {
    private let verb: String
    private let enabled: Bool
    private let lock = NSLock()
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var objects = 0
    private var bytes: Int64 = 0
    private var drawn = false

    init(_ verb: String, enabled: Bool = StandardError.isTerminal) {
        self.verb = verb
        self.enabled = enabled
    }

    func add(objects count: Int, bytes size: Int64) {
        guard enabled else { return }
        lock.withLock {
            objects += count
            bytes += size
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            drawn = true
            StandardError.write("\r\u{1B}[K" + line(now))
        }
    }

    func add(_ batch: [ObjectSummary]) { add(objects: batch.count, bytes: batch.reduce(0) { $0 + $1.size }) }

    /// Erases the line; call before printing results or an error.
    func finish() {
        lock.withLock {
            guard drawn else { return }
            drawn = false
            StandardError.write("\r\u{1B}[K")
        }
    }

    private func line(_ now: Date) -> String {
        let seconds = max(0.001, now.timeIntervalSince(started))
        let rate = Int(Double(objects) / seconds)
        return "\(verb) \(objects) object\(objects == 1 ? "" : "s"), \(ByteCount.format(bytes)), \(rate)/s"
    }
}
