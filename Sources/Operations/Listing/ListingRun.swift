import Foundation
import S3

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

    /// A subtree's or a key range's pages not yet taken by the consumer. `@unchecked
    /// Sendable`: the fields that change are read and written under the run's `condition`.
    final class Chain: @unchecked Sendable {
        let prefix: String
        /// A key range: the keys after `after` (exclusive) up to `upper` (inclusive; nil: to
        /// the end of the prefix), listed without delimiter. Nil: a subtree listed whole.
        let after: String?
        /// Moves down (never below `position`) when the rest of the range is cut off.
        var upper: String?
        /// Its place among the delimiter listing's subtrees and ranges, in key order; the
        /// ranges cut from one share its number.
        var number = 0
        var pages: [[ObjectSummary]] = []
        var done = false
        var error: Error?
        /// Ranges: the greatest key kept so far (`after` before the first page).
        var position: String
        var pagesListed = 0
        /// Ranges cut from this one's rest, in key order: emitted after it, before its old bound.
        var successors: [Chain] = []
        /// Its rest is being probed (one cut at a time).
        var splitting = false
        /// The consumer is emitting it: it waits on its own pages, not on the ranges' budget.
        var emitting = false
        var isRange: Bool { after != nil }
        init(prefix: String, after: String? = nil, upper: String? = nil) {
            self.prefix = prefix
            self.after = after
            self.upper = upper
            position = after ?? prefix
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
    private let probesAtFirstPage: Bool
    /// Ranges cut from dense ranges while listed, at most (each cut costs a few probes).
    private let maxRefinements: Int
    /// Pages a range lists before it counts as dense.
    static let densePages = 2
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
    /// Ranges cut from running ones, waiting for a worker, in key order (they come before
    /// every subtree not yet started: they lie inside ranges already started).
    private var pendingCuts: [Chain] = []
    /// Ranges cut from running ones so far, and cuts begun.
    private var cutChains = 0
    private var refinements = 0
    /// Workers listing a chain, and threads probing for cuts.
    private var busy = 0
    private var probing = 0

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
        probesAtFirstPage = lister.probesAtFirstPage
        maxRefinements = lister.parallelism * 2
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

    /// Every chain known: the delimiter listing's and the ranges cut from running ones.
    private var chainsKnown: Int { discovered + cutChains }

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
                        return try !self.splitLevel(level, after: after, sample: objects.map(\.key),
                                                    flat: children.isEmpty)
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

    /// Queues the rest of `level` after `after` as key ranges. A level whose first page is
    /// all objects has its rest queued as one range at once, listed while the probes cut it
    /// (output does not wait for them). A level with subtrees on its first page is probed
    /// first, and when no cut is found the delimiter listing goes on (false), so its subtrees
    /// keep their fan-out.
    private func splitLevel(_ level: String, after: String, sample: [String], flat: Bool) throws -> Bool {
        // The chains start after `after`, so a directory of that name would be skipped by a
        // server that walks directories: then the delimiter listing goes on.
        guard try probe([after + "/"], threads: 1) == [.empty] else { return false }
        let rest = Chain(prefix: level, after: after)
        let atOnce = flat || !probesAtFirstPage
        if atOnce {
            rest.splitting = probesAtFirstPage
            queue([rest])
        }
        guard probesAtFirstPage else { return true }
        // While the rest is listed its own chain is one of the `parallelism` requests in flight.
        let threads = reserveProbes(atOnce ? parallelism - 1 : parallelism)
        let points = findPoints(in: rest, sample: sample, targetRanges: parallelism * 8,
                                probeBudget: parallelism * 16, threads: threads)
        if atOnce {
            apply(points, to: rest, threads: threads)
            return true
        }
        releaseProbes(threads)
        guard !points.isEmpty else { return false }
        var chains: [Chain] = []
        var lower = after
        for upper in points + [nil] as [String?] {
            chains.append(Chain(prefix: level, after: lower, upper: upper))
            if let upper { lower = upper }
        }
        queue(chains)
        return true
    }

    /// Queues chains of the delimiter listing, in key order, after those queued so far.
    private func queue(_ chains: [Chain]) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        for chain in chains {
            chain.number = discovered
            subtrees.append(chain)
            if ordered { units.append((.subtree(chain), false)) }
        }
        startWorkers()
        condition.broadcast()
    }

    /// Probe threads a cut may use: `wanted`, or fewer so that workers and probes together
    /// make at most `parallelism` requests.
    private func reserveProbes(_ wanted: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        let threads = max(1, min(wanted, parallelism - busy - probing))
        probing += threads
        return threads
    }

    private func releaseProbes(_ threads: Int) {
        condition.lock()
        probing -= threads
        condition.broadcast()
        condition.unlock()
    }

    /// Points cutting the rest of `chain` (after the greatest key it has kept, up to its
    /// bound), found by probing; empty when the probes failed or the listing was cancelled.
    private func findPoints(in chain: Chain, sample: [String], targetRanges: Int, probeBudget: Int,
                            threads: Int) -> [String] {
        condition.lock()
        let after = chain.position, upper = chain.upper
        condition.unlock()
        let splitter = KeySpaceSplitter(prefix: chain.prefix, after: after, upper: upper, sample: sample,
                                        targetRanges: targetRanges, probeBudget: probeBudget)
        return (try? splitter.splitPoints { try self.probe($0, threads: threads) }) ?? []
    }

    /// Cuts a running range at `points` (and gives back the probe threads): it stops at the
    /// first point it has not passed, and the pieces go to other workers, emitted after it in
    /// key order. Points it has passed meanwhile are not used.
    private func apply(_ points: [String], to chain: Chain, threads: Int) {
        condition.lock()
        defer { condition.unlock() }
        probing -= threads
        chain.splitting = false
        condition.broadcast()
        let upperNow = chain.upper
        let usable = points.filter { p in
            chain.position.bytesPrecede(p) && (upperNow.map { p.bytesPrecede($0) } ?? true)
        }
        guard !stopped, !chain.done, let first = usable.first else { return }
        var pieces: [Chain] = []
        for (i, lower) in usable.enumerated() {
            let piece = Chain(prefix: chain.prefix, after: lower,
                              upper: i + 1 < usable.count ? usable[i + 1] : upperNow)
            piece.number = chain.number
            pieces.append(piece)
        }
        chain.upper = first
        chain.successors.insert(contentsOf: pieces, at: 0)
        // Key order: pieces of earlier chains first, then by their start.
        pendingCuts += pieces
        pendingCuts.sort { a, b in a.number != b.number ? a.number < b.number : a.after!.bytesPrecede(b.after!) }
        cutChains += pieces.count
        startWorkers()
    }

    /// Under `condition`: whether a range that has just listed a page and goes on is cut
    /// again: it is dense (a few pages listed), workers are idle and nothing waits to start.
    private func shouldRefine(_ chain: Chain) -> Bool {
        guard splitsFlatLevels, chain.isRange, !chain.splitting, !stopped, refinements < maxRefinements,
              chain.pagesListed >= Self.densePages else { return false }
        return busy + probing < parallelism && pendingCuts.isEmpty && nextToStart >= discovered
    }

    /// `ProbeBatch` answers for `cells`, `threads` at a time; a cancel ends the listing.
    private func probe(_ cells: [String], threads: Int) throws -> [KeySpaceSplitter.Answer] {
        let batch = ProbeBatch(client: client, bucket: bucket, cells: cells, cancel: stopFlag)
        let answers = batch.run(threads: max(1, threads))
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
        while workers < min(parallelism, chainsKnown - finished) {
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

    /// Under `condition`: the next chain to list, ranges cut from running ones first (they
    /// come before every subtree not yet started, and the consumer needs the earliest first).
    private func takeChain() -> Chain? {
        guard busy + probing < parallelism else { return nil }
        if let piece = pendingCuts.first, !(startable() && subtree(nextToStart).number <= piece.number) {
            return pendingCuts.removeFirst()
        }
        guard startable() else { return nil }
        let chain = subtree(nextToStart)
        nextToStart += 1
        if !ordered { trimSubtrees() }
        return chain
    }

    private func work() {
        while true {
            condition.lock()
            var taken: Chain?
            while !stopped {
                taken = takeChain()
                if taken != nil || (topDone && nextToStart >= discovered && pendingCuts.isEmpty) { break }
                waitLocked()
            }
            guard !stopped, let chain = taken else {
                workers -= 1
                condition.unlock()
                return
            }
            busy += 1
            condition.unlock()
            do {
                var cut = RangeCut(after: chain.after)
                defer { if let w = cut.warning(bucket: bucket, prefix: chain.prefix) { client.warn?(w) } }
                try client.listAllPages(bucket: bucket, prefix: chain.prefix, startAfter: chain.after,
                                        cancel: stopFlag) { page in
                    self.condition.lock()
                    defer { self.condition.unlock() }
                    self.noticeCancel()
                    if self.ordered {
                        while !self.stopped && self.chainMustWait(chain) { self.waitLocked() }
                    } else {
                        while !self.stopped && self.ready.count >= self.readyPages { self.waitLocked() }
                    }
                    // Cut with the bound as it is now: a cut of the rest lowers it, never below
                    // the keys kept so far.
                    // In byte order first: the bound cuts at the first key past it, and the
                    // output is promised in order (a server may send a page's keys in any).
                    let (objects, more) = cut.admit(Self.sortedByBytes(page.objects), upper: chain.upper)
                    if let last = objects.max(by: { $0.key.bytesPrecede($1.key) }),
                       chain.position.bytesPrecede(last.key) {
                        chain.position = last.key
                    }
                    chain.pagesListed += 1
                    if self.ordered {
                        chain.pages.append(objects)
                        if chain.isRange { self.rangePagesHeld += 1 }
                    } else {
                        self.ready.append(objects)
                    }
                    if more && page.isTruncated && self.shouldRefine(chain) {
                        chain.splitting = true
                        self.refinements += 1
                        let idle = self.parallelism - self.busy - self.probing
                        self.probing += idle
                        let sample = objects.map(\.key)
                        Thread.detachNewThread { [self] in
                            let points = findPoints(in: chain, sample: sample, targetRanges: max(2, idle * 2),
                                                    probeBudget: parallelism * 8, threads: idle)
                            apply(points, to: chain, threads: idle)
                        }
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
            busy -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Under `condition`, ordered runs: whether a chain's worker waits for the consumer
    /// before it adds a page. A range ahead waits on the ranges' shared budget; the chain being
    /// emitted, and every subtree, on its own few pages.
    private func chainMustWait(_ chain: Chain) -> Bool {
        if !chain.isRange || chain.emitting { return chain.pages.count >= pagesPerChain }
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

    /// Emits one subtree or range as its pages arrive, then the ranges cut from its rest, in
    /// order; returns when all are complete.
    private func drain(_ chain: Chain, topLevel: Bool = true, _ emit: ([ObjectSummary]) throws -> Void) throws {
        condition.lock()
        chain.emitting = true
        condition.broadcast()
        condition.unlock()
        while true {
            condition.lock()
            noticeCancel()
            while !stopped && chain.pages.isEmpty && !chain.done { waitLocked() }
            if stopped { condition.unlock(); throw S3Error.cancelled }
            let pages = chain.pages
            chain.pages.removeAll()
            if chain.isRange { rangePagesHeld -= pages.count }
            let complete = chain.done
            // Fixed once the chain is done: a cut applies only to a running range.
            let successors = complete ? chain.successors : []
            if complete {
                chain.successors = []
                if topLevel {
                    // The next subtree may start; this one no longer counts as held.
                    drained += 1
                    trimSubtrees()
                }
            }
            condition.broadcast()
            condition.unlock()
            for page in pages where !page.isEmpty { try emit(page) }
            if complete, let error = chain.error { throw error }
            if complete {
                for successor in successors { try drain(successor, topLevel: false, emit) }
                return
            }
        }
    }

    private func consumeAsReady(_ emit: ([ObjectSummary]) throws -> Void) throws {
        while true {
            condition.lock()
            noticeCancel()
            while !stopped && ready.isEmpty && firstError == nil && !(topDone && finished == chainsKnown) {
                waitLocked()
            }
            if stopped { condition.unlock(); throw S3Error.cancelled }
            let pages = ready
            ready.removeAll()
            let error = firstError
            let complete = topDone && finished == chainsKnown
            condition.broadcast()
            condition.unlock()
            for page in pages where !page.isEmpty { try emit(page) }
            if let error { throw error }
            if complete { return }
        }
    }
}
