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
    case urlsBuilt(bucket: String, key: String, [URLChoice])
    /// A presigned URL for a typed lifetime, or why it could not be made.
    case presignedReady(Result<URLChoice, BrowserError>)
    case publicChecked(Result<PublicCheck, BrowserError>)
    /// The copy went out; `via` names how (OSC 52, xclip, ...).
    case copied(text: String, via: String)
    /// A message for the status line (a malformed configuration file, say).
    case notice(String)
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
    case buildURLs(bucket: String, key: String)
    case presign(bucket: String, key: String, lifetime: String)
    case checkPublicURL(bucket: String, key: String)
    /// Put text on the clipboard (OSC 52 through the terminal, and a local tool if any).
    case copy(text: String)
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

/// One line of the URL menu: a form, its URL (or why there is none), and a warning.
public struct URLChoice: Equatable, Sendable {
    public var label: String
    public var url: String?
    public var note: String?
    /// Choosing this line asks for a presign lifetime instead of copying.
    public var asksLifetime: Bool
    public var checksPublicURL: Bool

    public init(label: String, url: String?, note: String? = nil, asksLifetime: Bool = false, checksPublicURL: Bool = false) {
        self.label = label
        self.url = url
        self.note = note
        self.asksLifetime = asksLifetime
        self.checksPublicURL = checksPublicURL
    }
}

/// What the public (CDN) URL serves next to what the object stores.
public struct PublicCheck: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var name: String
        public var served: String
        public var stored: String
        /// Only headers that the object stores are compared.
        public var differs: Bool
        public init(name: String, served: String, stored: String, differs: Bool) {
            self.name = name
            self.served = served
            self.stored = stored
            self.differs = differs
        }
    }
    public var url: String
    public var status: Int
    public var lines: [Line]
    public init(url: String, status: Int, lines: [Line]) {
        self.url = url
        self.status = status
        self.lines = lines
    }
}
