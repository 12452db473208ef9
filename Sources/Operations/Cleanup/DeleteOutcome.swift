import Foundation
import S3

public struct DeleteOutcome: Sendable {
    public var deleted: Int
    public var failures: [S3Client.DeleteFailure]
}
