import Foundation

/// Names one request the browser waits on, from the effect that asks to the event that
/// answers; the busy marker and the pages' loading marks are the set of open ones.
public struct RequestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Int
    public init(_ value: Int) { self.value = value }
    public static func < (a: RequestID, b: RequestID) -> Bool { a.value < b.value }
    public var description: String { "#\(value)" }
}
