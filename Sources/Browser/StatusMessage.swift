import Foundation
import Operations

public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool
}
