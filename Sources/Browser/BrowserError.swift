import Foundation

/// An error as the browser shows it: one line, already written for a person.
public struct BrowserError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
