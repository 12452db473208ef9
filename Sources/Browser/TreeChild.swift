import Foundation
import Operations

/// What a tree node holds: prefixes and objects below a prefix, or the buckets at the top.
public enum TreeChild: Equatable, Sendable {
    case bucket(name: String, created: Double)
    case prefix(name: String)  // relative to the parent, ending in "/"
    case object(ListedObject)

    public var name: String {
        switch self {
        case .bucket(let n, _): return n
        case .prefix(let n): return n
        case .object(let o): return o.name
        }
    }

    var isContainer: Bool {
        if case .object = self { return false }
        return true
    }
}
