import Foundation
import Operations

/// One listed level of the tree.
public struct TreeNode: Sendable {
    public let id: NodeID
    /// Its entries, compact (ChildStore): a level can hold millions.
    public var children = ChildStore()
    public var state: LoadState = .unloaded
    public var expanded = false
    /// Indices of `children` in the current sort order; nil when it must be recomputed.
    var order: [Int32]?
    var orderSort: SortOrder?

    public init(id: NodeID) { self.id = id }

    /// Appends one listing page: prefixes and objects merged in S3's key order.
    mutating func append(prefixes: [String], objects: [ListedObject]) {
        children.append(prefixes: prefixes, objects: objects)
        order = nil
    }
}
