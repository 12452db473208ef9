import Operations

/// What the browser needs after a switch: the new profile's read-only policy.
public struct ProfileSwitch: Equatable, Sendable {
    public var readOnly: String?
    public var readOnlyBuckets: [String: String]
    public init(readOnly: String?, readOnlyBuckets: [String: String]) {
        self.readOnly = readOnly
        self.readOnlyBuckets = readOnlyBuckets
    }
}
