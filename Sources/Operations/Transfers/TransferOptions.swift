import Foundation
import S3

/// How transfers are cut and run.
public struct TransferOptions: Sendable {
    /// Files above this go multipart (uploads) or as parallel ranges (downloads).
    public var multipartThreshold: Int64 = 8 << 20
    public var partSize: Int64 = 8 << 20
    /// Range size for parallel downloads; nil picks one by object size (`rangeSize`).
    public var downloadPartSize: Int64?
    /// Requests in flight at once, across all files and parts.
    public var concurrency = 16
    public var overwrite = false
    public var headers = UploadHeaders()
    /// Compress text types with gzip on the way up and set Content-Encoding (django-storages' AWS_IS_GZIPPED).
    public var gzip = false
    public var uploadRules: [UploadRule] = []
    /// Uploads whose object already holds the same bytes (same size and MD5, or the same
    /// multipart ETag at this part size) are not sent again: `existing` maps key to
    /// (size, ETag) as listed before queueing.
    public var skipIdentical = false
    public var existing: [ObjectKey: (size: Int64, etag: String)] = [:]
    /// Copies within S3 above this go multipart (CopyObject takes at most 5 GiB).
    public var multipartCopyThreshold: Int64 = 5 << 30
    public var copyPartSize: Int64 = 512 << 20
    /// False for commands that stream a listing into the engine (`cp -r`): a finished transfer
    /// is counted in `totals`, handed to `onFinish` and forgotten, so memory is bounded by the
    /// transfers in flight. True (the browser, `sync`) keeps every item for `snapshot`.
    public var keepsFinished = true
    /// Downloads stored with Content-Encoding: gzip are written decoded (`cp --gunzip`).
    public var gunzip = false
    public init() {}

    /// S3 rule 11: at most 10,000 parts, all but the last the same size, each >= 5 MiB.
    public static func partSize(for size: Int64, preferred: Int64) -> Int64 {
        var part = max(preferred, 5 << 20)
        let minimum = (size + 9_999) / 10_000
        if part < minimum {
            let mib: Int64 = 1 << 20
            part = (minimum + mib - 1) / mib * mib
        }
        return part
    }

    /// Parts or ranges of one file in flight at once (s5cmd's default too): as fast as
    /// sixteen on the local server, and fewer writers of one file contend less for its lock.
    public static let streamsPerFile = 5

    /// Ranges for a parallel download: enough to keep every stream busy, at least 8 MiB, and
    /// at most 64 MiB so streams finish close together. Fewer, longer ranges cost the server
    /// less per byte (measured: 64 MiB ranges of a 1 GiB object 4% faster than 32; 128 no
    /// faster). A cut range goes on from where it stopped, so size does not make retries dear.
    public static func rangeSize(for size: Int64, streams: Int) -> Int64 {
        let mib: Int64 = 1 << 20
        let even = (size + Int64(streams) - 1) / Int64(streams)
        let rounded = (even + mib - 1) / mib * mib
        return min(max(rounded, 8 * mib), 64 * mib)
    }
}
