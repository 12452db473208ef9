import Foundation

/// What a server says about one section of a bucket's settings.
public enum BucketConfigAnswer: Sendable, Equatable {
    /// The configuration, in the AWS CLI's JSON shape (`aws s3api get-bucket-…`).
    case document(JSONValue)
    /// The bucket has none: the error code that said so (`NoSuchCORSConfiguration`, ...).
    case notSet(String)
    /// The server does not do this: its NotImplemented, or an answer that is not the
    /// document asked for (SeaweedFS answers `?location` with a CreateBucketConfiguration).
    case unsupported(String)
}
