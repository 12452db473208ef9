import Foundation

/// Lets one progress message through per `interval` seconds, whichever of many worker
/// threads reports: deletes and header edits call their progress closures from up to 32
/// workers at once, so the time of the last message is read and written under a lock (a bare
/// variable captured by the closure was a data race).
public final class ProgressThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private let interval: Double
    private var last = -Double.infinity

    public init(interval: Double) { self.interval = interval }

    /// True for the first call of each interval (`now` in seconds, from any clock).
    public func shouldPost(now: Double = Date().timeIntervalSince1970) -> Bool {
        lock.withLock {
            guard now - last > interval else { return false }
            last = now
            return true
        }
    }
}
