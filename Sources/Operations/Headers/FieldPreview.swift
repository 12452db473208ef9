import Foundation
import S3

/// Per field: how many objects change, from which values to which.
public struct FieldPreview: Sendable, Equatable {
    public var field: String
    public var before: [String: Int]
    public var after: String
    public var changing: Int
}
