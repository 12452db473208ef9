import Foundation

/// The versions of one object; `pending` is an action waiting for "y".
public struct VersionsView: Equatable, Sendable {
    public enum Pending: Equatable, Sendable { case delete, restore }
    public var bucket: String
    public var key: String
    public var rows: [VersionRow] = []
    public var loading = true
    public var selected = 0
    public var pending: Pending?
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }
}
