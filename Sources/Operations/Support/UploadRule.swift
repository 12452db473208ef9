import Foundation
import S3

/// A default header rule for uploads: keys matching `pattern` get these headers.
public struct UploadRule: Sendable, Equatable {
    public var bucket: String?
    public var pattern: String
    public var headers: [(String, String)]

    public static func == (a: UploadRule, b: UploadRule) -> Bool {
        a.bucket == b.bucket && a.pattern == b.pattern
            && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
    }

    /// `*` matches within one path segment, `**` across segments.
    public func matches(_ key: String) -> Bool { Glob.matches(pattern, key) }
}
