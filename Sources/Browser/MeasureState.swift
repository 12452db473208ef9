import Foundation
import Operations

public struct MeasureState: Equatable, Sendable {
    public var objects: Int64
    public var bytes: Int64
    public var finished: Bool
    public var error: String?
    /// Bytes and objects per storage class, biggest first, from the same listing.
    public var classes: [PrefixUsage.ClassRow]
    /// On the last state of a finished measure: the sizes of the child prefixes, from the
    /// same listing, which the tree takes as their own measures (and then drops from here).
    public var children: [PrefixUsage.Row]

    public init(objects: Int64, bytes: Int64, finished: Bool, error: String? = nil,
                classes: [PrefixUsage.ClassRow] = [], children: [PrefixUsage.Row] = []) {
        self.objects = objects
        self.bytes = bytes
        self.finished = finished
        self.error = error
        self.classes = classes
        self.children = children
    }
}
