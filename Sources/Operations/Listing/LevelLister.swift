import Foundation
import S3

/// Lists one level of a prefix (delimiter "/": its objects and child prefixes), the browser's
/// listing of a folder, handing pages over in key order (UTF-8 bytes).
///
/// One ListObjectsV2 chain is a round trip per 1,000 entries, so a level of a million objects
/// takes a thousand in a row. When the first page is full and ends on an object (the test
/// `RecursiveLister` makes for a flat level), the rest of the level is cut into key ranges
/// by `KeySpaceSplitter`, and the ranges are listed at once, each with the delimiter, from its
/// start-after string up to its bound (`RangeCut`). The pages are handed over in key order:
/// the range being emitted goes out as its pages arrive, later ranges hold theirs until their
/// turn (the browser keeps every entry of the level anyway; `pagesAhead` bounds what waits).
///
/// A child prefix belongs to the one range its own name falls in: a range that sees a prefix
/// it does not own (a prefix straddling its start, or a server answering about other keys)
/// drops it, so every prefix is handed over once.
public final class LevelLister: @unchecked Sendable {
    public let client: S3Client
    public let parallelism: Int
    /// Pages the ranges ahead of the one being emitted may hold between them before they wait.
    public let pagesAhead: Int
    /// Whether a flat level is cut into ranges (false: one chain, as before).
    public var splitsFlatLevels = true

    public init(client: S3Client, parallelism: Int = 6, pagesAhead: Int? = nil) {
        self.client = client
        self.parallelism = max(1, parallelism)
        self.pagesAhead = max(1, pagesAhead ?? self.parallelism * 64)
    }

    /// Lists the level under `prefix`, calling `emit` on the caller's thread with each page as
    /// `convert` made it (on the thread that listed it), in key order. A cancel stops every
    /// range and throws `S3Error.cancelled`; returns once no request of the level is running.
    public func list<Page>(bucket: String, prefix: String, cancel: CancellationFlag,
                           convert: @escaping @Sendable (_ prefixes: [String], _ objects: [ObjectSummary]) -> Page,
                           emit: (Page) throws -> Void) throws {
        var ranges: [String]?
        var rangesFrom = ""
        var first = true
        try client.listAllPages(bucket: bucket, prefix: prefix, delimiter: "/", cancel: cancel) { page in
            try emit(convert(page.commonPrefixes, page.objects))
            guard !cancel.isCancelled else { throw S3Error.cancelled }
            guard first else { return true }
            first = false
            guard splitsFlatLevels && parallelism > 1, let after = Self.flatEnd(of: page) else { return true }
            guard let points = try splitPoints(bucket: bucket, prefix: prefix, after: after,
                                               sample: page.objects.map(\.key), cancel: cancel),
                  !points.isEmpty else { return true }
            ranges = points
            rangesFrom = after
            return false
        }
        if cancel.isCancelled { throw S3Error.cancelled }
        guard let points = ranges else { return }
        var bounds: [(after: String, upper: String?)] = []
        var lower = rangesFrom
        for upper in points + [nil] as [String?] {
            bounds.append((lower, upper))
            if let upper { lower = upper }
        }
        let run = LevelRun(client: client, bucket: bucket, prefix: prefix, ranges: bounds, threads: parallelism,
                           pagesAhead: pagesAhead, cancel: cancel, convert: convert)
        try run.consume(emit)
    }

    /// The greatest key of a first page worth cutting the level after: a full page, mostly
    /// objects, whose greatest entry is an object (every key after it is then after every
    /// entry listed so far). Nil otherwise.
    static func flatEnd(of page: ListPage) -> String? {
        guard page.isTruncated, page.objects.count >= page.commonPrefixes.count,
              let last = page.objects.max(by: { $0.key.bytesPrecede($1.key) })?.key else { return nil }
        if let lastPrefix = page.commonPrefixes.max(by: { $0.bytesPrecede($1) }), last.bytesPrecede(lastPrefix) {
            return nil
        }
        return last
    }

    /// Points cutting the level after `after`, or nil when it must stay one chain: a server
    /// that walks directories skips a directory named like the start-after string, so a
    /// directory `after/` keeps the chain going.
    private func splitPoints(bucket: String, prefix: String, after: String, sample: [String],
                             cancel: CancellationFlag) throws -> [String]? {
        func probe(_ cells: [String]) throws -> [KeySpaceSplitter.Answer] {
            let answers = ProbeBatch(client: client, bucket: bucket, cells: cells, cancel: cancel)
                .run(threads: parallelism)
            if cancel.isCancelled { throw S3Error.cancelled }
            return answers
        }
        guard try probe([after + "/"]) == [.empty] else { return nil }
        let splitter = KeySpaceSplitter(prefix: prefix, after: after, sample: sample, targetRanges: parallelism * 8,
                                        probeBudget: parallelism * 16)
        do {
            return try splitter.splitPoints(probe: probe)
        } catch S3Error.cancelled {
            throw S3Error.cancelled
        } catch {
            return nil
        }
    }
}
