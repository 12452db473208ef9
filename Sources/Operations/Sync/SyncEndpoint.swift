import Foundation
import S3

/// One side of a sync: a local folder, or a prefix (ending in "/", or the whole bucket).
public enum SyncEndpoint: Sendable, Equatable {
    case local(String)
    case s3(bucket: String, prefix: String)
}
