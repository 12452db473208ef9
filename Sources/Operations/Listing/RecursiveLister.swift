import Foundation
import S3

/// Lists everything under a prefix, handing objects over page by page: in key order (`list`)
/// or as pages arrive (`listUnordered`, for totals).
///
/// ListObjectsV2 pages follow one another through continuation tokens, so one listing is a
/// chain of round trips. To go faster the lister lists the prefix with delimiter `/` and walks
/// several child prefixes at once (a deep tree), and when a level is flat (its first page is
/// a full page of objects) it cuts the rest of the level into key ranges found by probing
/// (`KeySpaceSplitter`) and lists those at once, each from its start-after string up to its
/// bound. The first range starts at once, while the probes run, so output does not wait for
/// them; a range that turns out dense (more pages after its first ones while workers are idle)
/// has the rest of its keys cut again and handed to the idle workers. What it holds is
/// bounded by pages in flight, never by the listing's size: the delimiter listing's objects go
/// out as its pages arrive, and every chain (the delimiter listing, each subtree, each range)
/// waits while a few of its pages are still untaken.
public final class RecursiveLister {
    public let client: S3Client
    public let parallelism: Int
    /// Pages a subtree may hold before its worker waits for the consumer.
    public let pagesPerChain: Int
    /// Longer than any key a server keeps (S3: 1,024 bytes; some allow more).
    static let longestPrefix = 4096

    /// Whether flat levels are cut into key ranges listed at once (false: one chain each).
    public var splitsFlatLevels = true
    /// Whether a flat level is probed as soon as its first page arrives (false: its rest is
    /// one range, cut only when it turns out dense; for tests of that refinement).
    var probesAtFirstPage = true

    public init(client: S3Client, parallelism: Int = 8, pagesPerChain: Int = 4) {
        self.client = client
        self.parallelism = max(1, parallelism)
        self.pagesPerChain = max(1, pagesPerChain)
    }

    /// A lister for a consumer that sends a request per object (HEAD, copy, GET). That is far
    /// slower than a page of the listing, so the lister is always as far ahead as it may be, and
    /// one page per chain keeps what it holds small: at four, a million-key `headers -r` held
    /// about 50,000 listed keys and peaked over 64 MiB, and `cp -r` and `set-headers -r` came
    /// to 64-67 MiB (BENCHMARKS.md, streaming).
    public static func feedingObjectRequests(client: S3Client) -> RecursiveLister {
        RecursiveLister(client: client, pagesPerChain: 1)
    }

    /// Calls `emit` with batches of objects in key order (UTF-8 bytes). Runs on the caller's
    /// thread; the listing runs on threads of its own.
    public func list(bucket: String, prefix: String, cancel: CancellationFlag? = nil,
                     emit: @escaping ([ObjectSummary]) throws -> Void) throws {
        let run = ListingRun(lister: self, bucket: bucket, prefix: prefix, ordered: true, cancel: cancel)
        defer { run.stop() }
        try run.consume(emit)
    }

    /// Calls `emit` with batches of objects in no particular order, each as soon as it is
    /// listed: nothing waits for an earlier subtree, so every chain runs at full speed.
    public func listUnordered(bucket: String, prefix: String, cancel: CancellationFlag? = nil,
                              emit: @escaping ([ObjectSummary]) throws -> Void) throws {
        let run = ListingRun(lister: self, bucket: bucket, prefix: prefix, ordered: false, cancel: cancel)
        defer { run.stop() }
        try run.consume(emit)
    }
}
