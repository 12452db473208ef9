import Foundation
import S3

/// What a sync will do: the transfers that make the destination like the source, what is
/// already the same, and (with `--delete`) what the destination has that the source does not.
public struct SyncPlan: Sendable {
    public var uploads: [TransferEngine.UploadSource] = []
    public var downloads: [TransferEngine.DownloadTarget] = []
    public var copies: [TransferEngine.CopyTarget] = []
    /// Objects to delete from the destination prefix (each below it, checked).
    public var deleteObjects: [DeletePlan.Item] = []
    /// Local files to delete from the destination folder (regular files found by the walk).
    public var deleteFiles: [(path: String, size: Int64)] = []
    /// Source entries whose destination already holds the same bytes.
    public var unchanged = 0
    /// Uploads whose comparison waits for their gzip'ed bytes: the engine compares those.
    public var compareAfterGzip: [ObjectKey: (size: Int64, etag: String)] = [:]
    /// Source entries left out, with why (unsafe names, links, unreadable files, filters).
    public var refused: [(path: String, reason: String)] = []
    public var excluded = 0

    public var transferCount: Int { uploads.count + downloads.count + copies.count }
    public var deleteCount: Int { deleteObjects.count + deleteFiles.count }
    public var transferBytes: Int64 {
        uploads.reduce(0) { $0 + $1.size } + downloads.reduce(0) { $0 + $1.size } + copies.reduce(0) { $0 + $1.size }
    }
}
