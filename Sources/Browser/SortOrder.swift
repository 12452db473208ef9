import Foundation
import Operations

public struct SortOrder: Equatable, Sendable {
    public var key: SortKey = .name
    public var reversed = false
    public init(key: SortKey = .name, reversed: Bool = false) {
        self.key = key
        self.reversed = reversed
    }
}
