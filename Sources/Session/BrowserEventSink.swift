import Browser

/// Where the session's workers post their answers. The terminal's run loop gives one that
/// feeds its event queue; tests give one that records, so the session needs no terminal.
public final class BrowserEventSink: Sendable {
    private let deliver: @Sendable (BrowserEvent) -> Void

    public init(_ deliver: @escaping @Sendable (BrowserEvent) -> Void) {
        self.deliver = deliver
    }

    /// Called from any thread; `deliver` must be safe to call so.
    public func post(_ event: BrowserEvent) { deliver(event) }
}
