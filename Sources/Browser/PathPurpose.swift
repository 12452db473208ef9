import Foundation

public enum PathPurpose: Equatable, Sendable {
    case upload(bucket: String, prefix: String)
    case download(bucket: String, keys: [String], prefixes: [String])
    /// The destination is typed as `s3://bucket/prefix/`.
    case copy(bucket: String, keys: [String], prefixes: [String])
}
