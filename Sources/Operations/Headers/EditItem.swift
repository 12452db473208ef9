import Foundation
import S3

/// One object in an edit: before and after.
public struct EditItem: Sendable {
    public var key: String
    public var before: HeaderSnapshot
    public var after: HeaderSnapshot
    public var changes: Bool { !before.editableEqual(after) }
}
