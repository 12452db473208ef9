import Operations

/// A key and its label in the footer.
public struct FooterItem: Equatable, Sendable {
    public var keys: String
    public var label: String
    /// From a binding that changes what is shown: dropped last when the footer is too narrow.
    public var keeps: Bool
    public init(_ keys: String, _ label: String, keeps: Bool = false) {
        self.keys = keys
        self.label = label
        self.keeps = keeps
    }
}
