import Operations

/// What a key does on a page. Each page names its own actions (`extension Action` in the
/// page's file); the page acts on these, never on raw keys, except the typed text and the
/// digit of a `.typing` or `.digits` binding, which it reads from the key it is given.
public struct Action: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { name = value }
    public var description: String { name }
}
