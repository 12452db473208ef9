import Foundation
import Operations

/// An entry the cursor is on: its level (node serial), name, and place in the listing.
struct CursorAnchor: Equatable, Sendable {
    var node: Int32
    var name: String
    var index: Int32
}
