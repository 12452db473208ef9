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
/// bound. What it holds is bounded by pages in flight, never by the listing's size: the
/// delimiter listing's objects go out as its pages arrive, and every chain (the delimiter
/// listing, each subtree, each range) waits while a few of its pages are still untaken.
public final class RecursiveLister {
    public let client: S3Client
    public let parallelism: Int
    /// Pages a subtree may hold before its worker waits for the consumer.
    public let pagesPerChain: Int
    /// Longer than any key a server keeps (S3: 1,024 bytes; some allow more).
    static let longestPrefix = 4096

    /// Whether flat levels are cut into key ranges listed at once (false: one chain each).
    public var splitsFlatLevels = true

    public init(client: S3Client, parallelism: Int = 8, pagesPerChain: Int = 4) {
        self.client = client
        self.parallelism = max(1, parallelism)
        self.pagesPerChain = max(1, pagesPerChain)
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

/// One listing: a producer thread walks the delimiter listing, worker threads walk subtrees,
/// the caller's thread consumes. `@unchecked Sendable`: every mutable field is read and
/// written under `condition`.
final class ListingRun: @unchecked Sendable {
    /// What the delimiter listing yields, in key order: objects directly under the prefix,
    /// or a child prefix to list whole.
    enum Unit {
        case objects([ObjectSummary])
        case subtree(Chain)
    }

    /// A subtree's or a key range's pages not yet taken by the consumer.
    final class Chain {
        let prefix: String
        /// A key range: the keys after `after` (exclusive) up to `upper` (inclusive; nil: to
        /// the end of the prefix), listed without delimiter.
        let range: (after: String, upper: String?)?
        /// Its place among the subtrees and ranges, in key order.
        var number = 0
        var pages: [[ObjectSummary]] = []
        var done = false
        var error: Error?
        init(prefix: String, range: (after: String, upper: String?)? = nil) {
            self.prefix = prefix
            self.range = range
        }
    }

    private let client: S3Client
    private let bucket: String
    private let prefix: String
    private let ordered: Bool
    private let parallelism: Int
    private let pagesPerChain: Int
    /// Child prefixes found but not yet started before the producer of an unordered run
    /// waits: a few pages of them, plenty for the workers.
    private let subtreesAhead: Int
    /// Unordered runs: pages waiting for the consumer before the chains wait.
    private let readyPages: Int
    private let splitsFlatLevels: Bool
    /// Ordered runs: pages the ranges ahead of the one being emitted may hold between them.
    /// A range ahead holds all its pages while this allows, so ranges of a few pages are
    /// listed whole at once; the one being emitted waits only for the consumer.
    private let rangeBudget: Int
    private let outerCancel: CancellationFlag?
    private let stopFlag = CancellationFlag()
    private let condition = NSCondition()

    // Under `condition`. Subtrees are numbered in key order; `subtrees` holds those from
    // number `subtreesBase` on (the earlier ones are done with and dropped).
    private var stopped = false
    /// Ordered runs: what the consumer takes next; the last unit of each page of the
    /// delimiter listing is marked, so whole pages are counted as held.
    private var units: [(unit: Unit, endsPage: Bool)] = []
    private var unitsHead = 0
    private var topPagesQueued = 0
    private var subtrees: [Chain] = []
    private var subtreesBase = 0
    private var nextToStart = 0
    /// Subtrees fully emitted (in order) and fully listed.
    private var drained = 0
    private var finished = 0
    private var workers = 0
    private var topDone = false
    private var topError: Error?
    /// Unordered runs: pages ready for the consumer, whichever chain they came from.
    private var ready: [[ObjectSummary]] = []
    private var firstError: Error?
    /// Pages held by ranges, not yet taken by the consumer.
    private var rangePagesHeld = 0

    init(lister: RecursiveLister, bucket: String, prefix: String, ordered: Bool, cancel: CancellationFlag?) {
        client = lister.client
        self.bucket = bucket
        self.prefix = prefix
        self.ordered = ordered
        parallelism = lister.parallelism
        pagesPerChain = lister.pagesPerChain
        subtreesAhead = max(lister.pagesPerChain * 1000, lister.parallelism * 2)
        readyPages = max(lister.pagesPerChain, lister.parallelism)
        splitsFlatLevels = lister.splitsFlatLevels && lister.parallelism > 1
        rangeBudget = lister.parallelism * lister.pagesPerChain
        outerCancel = cancel
        Thread.detachNewThread { [self] in produce() }
    }

    func stop() {
        condition.lock()
        stopped = true
        stopFlag.cancel()
        condition.broadcast()
        condition.unlock()
    }

    /// Waits on `condition` (held), waking now and then to notice a cancel from outside.
    private func waitLocked() {
        _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2))
        noticeCancel()
    }

    /// Under `condition`: a cancel from outside stops every chain at its next page.
    private func noticeCancel() {
        if outerCancel?.isCancelled == true {
            stopped = true
            stopFlag.cancel()
        }
    }

    private var discovered: Int { subtreesBase + subtrees.count }

    private func subtree(_ number: Int) -> Chain { subtrees[number - subtreesBase] }

    /// Drops subtrees no one needs any more: drained ones in order, started ones otherwise.
    private func trimSubtrees() {
        let done = (ordered ? drained : nextToStart) - subtreesBase
        if done >= 1024 && done * 2 >= subtrees.count {
            subtrees.removeFirst(done)
            subtreesBase += done
        }
    }

    // MARK: Producer: the delimiter listing

    private func produce() {
        var top = prefix
        do {
            while true {
                var descend: String?
                var first = true
                try client.listAllPages(bucket: bucket, prefix: top, delimiter: "/", cancel: stopFlag) { page in
                    let level = top
                    let children = Self.sortedByBytes(page.commonPrefixes.filter {
                        // A child that is not below the prefix would be listed twice or forever.
                        $0.hasBytePrefix(level) && $0.utf8.count > level.utf8.count
                    })
                    if first && !page.isTruncated && page.objects.isEmpty && children.count == 1 {
                        // One child only: nothing to walk in parallel at this level, go one deeper.
                        descend = children[0]
                        return false
                    }
                    let wasFirst = first
                    first = false
                    let objects = Self.sortedByBytes(page.objects)
                    guard self.push(objects: objects, children: children) else { return false }
                    if wasFirst, let after = self.flatEnd(of: page, objects: objects, children: children) {
                        // The rest of the level goes to ranges, or on in this chain if it cannot be cut.
                        return try !self.splitLevel(level, after: after, sample: objects.map(\.key))
                    }
                    return true
                }
                guard let next = descend else { break }
                // Each step down is a listing of its own, so no page check sees a server that
                // keeps answering "one child, one level deeper"; S3 keys stop at 1,024 bytes.
                guard next.utf8.count <= RecursiveLister.longestPrefix else {
                    throw S3Error.serverFault("the server listed a prefix longer than \(RecursiveLister.longestPrefix) "
                                              + "bytes under s3://\(bucket)/\(prefix.prefix(100))...; stopping")
                }
                top = next
            }
            finishTop(error: nil)
        } catch {
            finishTop(error: error)
        }
    }

    // MARK: Flat levels: key ranges

    /// The greatest key of a first page that makes its level worth cutting into ranges: a
    /// full page that is mostly objects and ends on an object (every key after it is then
    /// after every entry listed so far, subtrees included). Nil otherwise.
    private func flatEnd(of page: ListPage, objects: [ObjectSummary], children: [String]) -> String? {
        guard splitsFlatLevels, page.isTruncated, let last = objects.last, objects.count >= children.count,
              !(children.last.map { last.key.bytesPrecede($0) } ?? false) else { return nil }
        return last.key
    }

    /// Probes the rest of `level` after `after` and queues its ranges. False when it found
    /// no way to cut it (the delimiter listing then goes on).
    private func splitLevel(_ level: String, after: String, sample: [String]) throws -> Bool {
        // The chains start after `after`, so a directory of that name would be skipped by a
        // server that walks directories: then the delimiter listing goes on.
        guard try probe([after + "/"]) == [.empty] else { return false }
        let splitter = KeySpaceSplitter(prefix: level, after: after, sample: sample,
                                        targetRanges: parallelism * 8, probeBudget: parallelism * 16)
        let points = try splitter.splitPoints { try self.probe($0) }
        guard !points.isEmpty else { return false }
        var chains: [Chain] = []
        var lower = after
        for upper in points + [nil] as [String?] {
            chains.append(Chain(prefix: level, range: (lower, upper)))
            if let upper { lower = upper }
        }
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return true }
        for chain in chains {
            chain.number = discovered
            subtrees.append(chain)
            if ordered { units.append((.subtree(chain), false)) }
        }
        startWorkers()
        condition.broadcast()
        return true
    }

    /// `ProbeBatch` answers for `cells`, `parallelism` at a time; a cancel ends the listing.
    private func probe(_ cells: [String]) throws -> [KeySpaceSplitter.Answer] {
        let batch = ProbeBatch(client: client, bucket: bucket, cells: cells, cancel: stopFlag)
        let answers = batch.run(threads: parallelism)
        condition.lock()
        noticeCancel()
        let cancelled = stopped
        condition.unlock()
        if cancelled || stopFlag.isCancelled { throw S3Error.cancelled }
        return answers
    }

    private static func sortedByBytes(_ prefixes: [String]) -> [String] {
        for i in prefixes.indices.dropFirst() where !prefixes[i - 1].bytesPrecede(prefixes[i]) {
            return prefixes.sorted { $0.bytesPrecede($1) }
        }
        return prefixes
    }

    private static func sortedByBytes(_ objects: [ObjectSummary]) -> [ObjectSummary] {
        for i in objects.indices.dropFirst() where !objects[i - 1].key.bytesPrecede(objects[i].key) {
            return objects.sorted { $0.key.bytesPrecede($1.key) }
        }
        return objects
    }

    private func producerMustWait() -> Bool {
        if ordered { return topPagesQueued >= pagesPerChain }
        return ready.count >= readyPages || discovered - nextToStart >= subtreesAhead
    }

    /// Queues one page of the delimiter listing, objects and child prefixes merged by key (a
    /// key "a/b.txt" sorts between prefixes "a/a/" and "a/c/"). Returns false once stopped.
    private func push(objects: [ObjectSummary], children: [String]) -> Bool {
        var newUnits: [Unit] = []
        var newChains: [Chain] = []
        if ordered {
            var run: [ObjectSummary] = []
            var oi = 0
            for child in children {
                while oi < objects.count && objects[oi].key.bytesPrecede(child) { run.append(objects[oi]); oi += 1 }
                if !run.isEmpty { newUnits.append(.objects(run)); run = [] }
                let chain = Chain(prefix: child)
                newChains.append(chain)
                newUnits.append(.subtree(chain))
            }
            if oi < objects.count { newUnits.append(.objects(oi == 0 ? objects : Array(objects[oi...]))) }
        } else {
            newChains = children.map { Chain(prefix: $0) }
        }

        condition.lock()
        defer { condition.unlock() }
        noticeCancel()
        while !stopped && producerMustWait() { waitLocked() }
        guard !stopped else { return false }
        for chain in newChains {
            chain.number = discovered
            subtrees.append(chain)
        }
        if ordered {
            if !newUnits.isEmpty {
                topPagesQueued += 1
                for (i, unit) in newUnits.enumerated() { units.append((unit, i == newUnits.count - 1)) }
            }
        } else if !objects.isEmpty {
            ready.append(objects)
        }
        startWorkers()
        condition.broadcast()
        return true
    }

    /// Under `condition`: workers start as subtrees and ranges turn up, one per chain in flight.
    private func startWorkers() {
        while workers < min(parallelism, discovered - finished) {
            workers += 1
            Thread.detachNewThread { [self] in work() }
        }
    }

    private func finishTop(error: Error?) {
        condition.lock()
        topDone = true
        topError = error
        if !ordered, let error, firstError == nil { firstError = error }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Workers: one subtree at a time, without delimiter

    private func startable() -> Bool {
        guard nextToStart < discovered else { return false }
        // In order, stay at most `parallelism` subtrees ahead of the one being drained.
        return !ordered || nextToStart < drained + parallelism
    }

    private func work() {
        while true {
            condition.lock()
            while !stopped && !startable() && !(topDone && nextToStart >= discovered) { waitLocked() }
            guard !stopped, startable() else {
                workers -= 1
                condition.unlock()
                return
            }
            let chain = subtree(nextToStart)
            nextToStart += 1
            if !ordered { trimSubtrees() }
            condition.unlock()
            do {
                var cut = RangeCut(range: chain.range)
                defer { if let w = cut.warning(bucket: bucket, prefix: chain.prefix) { client.warn?(w) } }
                try client.listAllPages(bucket: bucket, prefix: chain.prefix, startAfter: chain.range?.after,
                                        cancel: stopFlag) { page in
                    let (objects, more) = cut.admit(page.objects)
                    self.condition.lock()
                    defer { self.condition.unlock() }
                    self.noticeCancel()
                    if self.ordered {
                        while !self.stopped && self.chainMustWait(chain) { self.waitLocked() }
                        chain.pages.append(objects)
                        if chain.range != nil { self.rangePagesHeld += 1 }
                    } else {
                        while !self.stopped && self.ready.count >= self.readyPages {
                            self.waitLocked()
                        }
                        self.ready.append(objects)
                    }
                    self.condition.broadcast()
                    return !self.stopped && more
                }
                condition.lock()
            } catch {
                condition.lock()
                chain.error = error
                if !ordered && firstError == nil && !stopped { firstError = error }
            }
            chain.done = true
            finished += 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Under `condition`, ordered runs: whether a chain's worker waits for the consumer
    /// before it adds a page. A range ahead waits on the ranges' shared budget; the chain being
    /// emitted, and every subtree, on its own few pages.
    private func chainMustWait(_ chain: Chain) -> Bool {
        if chain.range == nil || chain.number == drained { return chain.pages.count >= pagesPerChain }
        return rangePagesHeld >= rangeBudget
    }

    // MARK: Consumer: the caller's thread

    func consume(_ emit: ([ObjectSummary]) throws -> Void) throws {
        if ordered { try consumeInOrder(emit) } else { try consumeAsReady(emit) }
    }

    private func consumeInOrder(_ emit: ([ObjectSummary]) throws -> Void) throws {
        while true {
            condition.lock()
            noticeCancel()
            while !stopped && unitsHead == units.count && !topDone { waitLocked() }
            if stopped { condition.unlock(); throw S3Error.cancelled }
            if unitsHead == units.count {
                let error = topError
                condition.unlock()
                if let error { throw error }
                return
            }
            let (unit, endsPage) = units[unitsHead]
            units[unitsHead] = (.objects([]), false)  // the taken batch must not stay referenced here
            unitsHead += 1
            if unitsHead >= 64 && unitsHead * 2 >= units.count {
                units.removeFirst(unitsHead)
                unitsHead = 0
            }
            condition.unlock()
            switch unit {
            case .objects(let objects): try emit(objects)
            case .subtree(let chain): try drain(chain, emit)
            }
            if endsPage {
                condition.lock()
                topPagesQueued -= 1
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Emits one subtree as its pages arrive, returning when it is complete.
    private func drain(_ chain: Chain, _ emit: ([ObjectSummary]) throws -> Void) throws {
        while true {
            condition.lock()
            noticeCancel()
            while !stopped && chain.pages.isEmpty && !chain.done { waitLocked() }
            if stopped { condition.unlock(); throw S3Error.cancelled }
            let pages = chain.pages
            chain.pages.removeAll()
            if chain.range != nil { rangePagesHeld -= pages.count }
            let complete = chain.done
            if complete {
                // The next subtree may start; this one no longer counts as held.
                drained += 1
                trimSubtrees()
            }
            condition.broadcast()
            condition.unlock()
            for page in pages where !page.isEmpty { try emit(page) }
            if complete, let error = chain.error { throw error }
            if complete { return }
        }
    }

    private func consumeAsReady(_ emit: ([ObjectSummary]) throws -> Void) throws {
        while true {
            condition.lock()
            noticeCancel()
            while !stopped && ready.isEmpty && firstError == nil && !(topDone && finished == discovered) {
                waitLocked()
            }
            if stopped { condition.unlock(); throw S3Error.cancelled }
            let pages = ready
            ready.removeAll()
            let error = firstError
            let complete = topDone && finished == discovered
            condition.broadcast()
            condition.unlock()
            for page in pages where !page.isEmpty { try emit(page) }
            if let error { throw error }
            if complete { return }
        }
    }
}
