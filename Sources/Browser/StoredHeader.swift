import Foundation

/// A header as stored: `Cache-Control`, `Content-Type`, ... or `x-amz-meta-NAME` for metadata.
public struct StoredHeader: Equatable, Sendable {
    public static let metadataPrefix = "x-amz-meta-"
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
