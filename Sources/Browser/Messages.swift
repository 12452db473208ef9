import Foundation

/// Everything that happens to the browser: keys, the terminal, and answers from workers.
/// Workers answer in pairs with the effects that asked (`list` → `listed`).
public enum BrowserEvent: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    case bucketsListed(Result<[TreeChild], BrowserError>)
    /// One page of a listing; `token` ties it to the `list` effect that asked.
    case listed(node: NodeID, token: Int, prefixes: [String], objects: [ListedObject])
    case listingFinished(node: NodeID, token: Int, error: BrowserError?)
    case headed(bucket: String, key: String, Result<[DetailRow], BrowserError>)
    case headTimerFired(bucket: String, key: String)
    case measured(node: NodeID, MeasureState)
}

/// What the browser asks the outside world to do.
public enum BrowserEffect: Equatable, Sendable {
    case listBuckets
    case list(node: NodeID, token: Int)
    case cancelListing(token: Int)
    case head(bucket: String, key: String)
    /// Post `event` back after `seconds` (debouncing the details pane).
    case timer(seconds: Double, event: TimerEvent)
    case measure(node: NodeID)
    case cancelMeasure(node: NodeID)
    case quit
    case suspend
}

public enum TimerEvent: Equatable, Sendable {
    case head(bucket: String, key: String)

    public var event: BrowserEvent {
        switch self {
        case .head(let b, let k): return .headTimerFired(bucket: b, key: k)
        }
    }
}

/// An error as the browser shows it: one line, already written for a person.
public struct BrowserError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// One line of the details pane: a header name and its value.
public struct DetailRow: Equatable, Sendable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public enum DetailState: Equatable, Sendable {
    case loading
    case loaded([DetailRow])
    case failed(String)
}
