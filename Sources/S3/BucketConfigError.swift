import Foundation

/// A bucket configuration mistake found before anything is sent: the line of the edited
/// JSON and what is wrong there.
public struct BucketConfigError: Error, CustomStringConvertible, Equatable {
    public var line: Int?
    public var message: String
    public var description: String { (line.map { "line \($0): " } ?? "") + message }
    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }
}
