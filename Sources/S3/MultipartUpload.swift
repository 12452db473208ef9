import Foundation

/// A multipart upload that was started and neither completed nor aborted: its parts are
/// stored and billed, and no listing of objects shows them.
public struct MultipartUpload: Sendable, Equatable {
    public var key: String
    public var uploadId: String
    public var initiated: Date?
    public var storageClass: String?
}
