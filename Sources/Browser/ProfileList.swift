import Operations

/// The profiles `P` lists and which one the session talks as.
public struct ProfileList: Equatable, Sendable {
    public var entries: [ProfileEntry]
    public var current: String
    public init(entries: [ProfileEntry], current: String) {
        self.entries = entries
        self.current = current
    }
}
