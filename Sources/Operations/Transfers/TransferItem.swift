import Foundation
import S3

/// One file's transfer, for progress displays.
public struct TransferItem: Sendable, Equatable {
    /// `copy`: within S3, server side; `local` then holds the source's `s3://` URI.
    public enum Direction: Sendable, Equatable { case upload, download, copy }
    /// `unchanged`: the object already held the same bytes (`skipIdentical`), a success.
    public enum State: Sendable, Equatable {
        case queued, running, done, unchanged, skipped(String), failed(String), cancelled
    }
    public var id: Int
    public var direction: Direction
    public var local: String
    public var bucket: String
    public var key: String
    public var size: Int64
    public var transferred: Int64 = 0
    public var state: State = .queued
    /// A download of an object stored with Content-Encoding: gzip.
    public var gzipEncoded = false

    /// Done, unchanged, skipped, failed or cancelled: nothing more will happen to it.
    public var isFinished: Bool {
        switch state {
        case .queued, .running: return false
        default: return true
        }
    }
}
