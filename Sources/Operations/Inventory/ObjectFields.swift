import Foundation
import S3

/// The fields of an object a command reads, besides its key and size.
public struct ObjectFields: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let modified = ObjectFields(rawValue: 1)
    public static let etag = ObjectFields(rawValue: 2)
    public static let storageClass = ObjectFields(rawValue: 4)
    public static let all: ObjectFields = [.modified, .etag, .storageClass]
}
