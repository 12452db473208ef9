import Foundation
import Operations

/// One visible line of the tree: child `index` of node number `node`, at `depth`.
/// `index == -1` is the placeholder line of a node with nothing to show yet (loading, empty,
/// failed). 12 bytes, so 100,000 rows stay cheap.
public struct Row: Equatable, Sendable {
    public var node: Int32
    public var index: Int32
    public var depth: Int16
}
