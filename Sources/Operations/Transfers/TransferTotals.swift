import Foundation
import S3

/// Counts over every transfer an engine was given, finished ones included (kept or not).
public struct TransferTotals: Sendable, Equatable {
    public var registered = 0
    /// Sizes of every transfer registered (after `--gzip`, once compressed).
    public var bytes: Int64 = 0
    /// Bytes moved by finished transfers (in-flight ones are in `snapshot`).
    public var finishedBytes: Int64 = 0
    public var done = 0
    public var doneBytes: Int64 = 0
    public var unchanged = 0
    public var skipped = 0
    public var failed = 0
    public var cancelled = 0
    /// Downloads done of objects stored gzip-encoded.
    public var gzipEncoded = 0
    public var finished: Int { done + unchanged + skipped + failed + cancelled }
}
