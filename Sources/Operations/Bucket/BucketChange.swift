import Foundation
import S3

/// What an edit will do to a section.
public enum BucketChange: Sendable, Equatable {
    /// PUT this body (XML, or JSON for a policy).
    case replace(Data)
    case delete
}
