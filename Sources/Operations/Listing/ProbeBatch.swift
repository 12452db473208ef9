import Foundation
import S3

/// One-key listings of a batch of cells, a few at a time, for `KeySpaceSplitter`: the
/// first key that starts with the cell, none, or nonsense when the answer failed or made no
/// sense. Each answer is checked like any listing page first (keys outside the cell are
/// dropped, with the client's warning). `@unchecked Sendable`: the fields it changes are
/// read and written under `lock`.
final class ProbeBatch: @unchecked Sendable {
    private let client: S3Client
    private let bucket: String
    private let cells: [String]
    private let cancel: CancellationFlag
    private let lock = NSLock()
    private var next = 0
    private var answers: [KeySpaceSplitter.Answer]

    init(client: S3Client, bucket: String, cells: [String], cancel: CancellationFlag) {
        self.client = client
        self.bucket = bucket
        self.cells = cells
        self.cancel = cancel
        answers = [KeySpaceSplitter.Answer](repeating: .nonsense, count: cells.count)
    }

    /// Runs the probes on `threads` threads of its own and returns their answers in order.
    func run(threads: Int) -> [KeySpaceSplitter.Answer] {
        let group = DispatchGroup()
        for _ in 0..<min(max(1, threads), cells.count) {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                work()
            }
        }
        group.wait()
        return lock.withLock { answers }
    }

    private func work() {
        while true {
            let taken: Int? = lock.withLock {
                guard next < cells.count else { return nil }
                next += 1
                return next - 1
            }
            guard let i = taken, !cancel.isCancelled else { return }
            let answer = probe(cells[i])
            lock.withLock { answers[i] = answer }
        }
    }

    private func probe(_ cell: String) -> KeySpaceSplitter.Answer {
        guard let page = try? client.listObjectsV2(bucket: bucket, prefix: cell, maxKeys: 1, cancel: cancel) else {
            return .nonsense
        }
        if let first = page.objects.min(by: { $0.key.bytesPrecede($1.key) }) { return .first(first.key) }
        // Emptied by the check, yet "more follow": the server answered about other keys.
        return page.isTruncated || !page.commonPrefixes.isEmpty ? .nonsense : .empty
    }
}
