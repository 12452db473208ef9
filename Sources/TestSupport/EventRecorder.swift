import Browser
import Foundation

/// Keeps what the session's workers post, in posting order, until the driver reads it.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [BrowserEvent] = []

    func post(_ event: BrowserEvent) { lock.withLock { events.append(event) } }

    func drain() -> [BrowserEvent] {
        lock.withLock {
            defer { events.removeAll() }
            return events
        }
    }
}
