import ArgumentParser
import Dispatch
import Foundation
import Operations
import S3

/// Lines about single transfers and refused keys, written as they happen (a listing of a
/// million keys is not held to report on it at the end), between redraws of the progress line.
final class StreamReport: @unchecked Sendable {
    private let lock = NSLock()
    private var refused = 0
    private var drawn = false
    /// Transfers done, and the first keys they wrote (for `--invalidate`).
    private var doneCount = 0
    private var doneKeys: [String] = []
    var tty = false

    var refusedCount: Int { lock.withLock { refused } }
    var written: (count: Int, firstKeys: [String]) { lock.withLock { (doneCount, doneKeys) } }

    func refuse(_ entries: [(what: String, why: String)]) {
        guard !entries.isEmpty else { return }
        lock.withLock { refused += entries.count }
        for r in entries { line("pail: skipped \(r.what): \(TerminalSafe.escape(r.why))") }
    }

    func finished(_ item: TransferItem) {
        let what = item.direction == .download
            ? "s3://\(item.bucket)/\(TerminalSafe.escape(item.key)) to \(TerminalSafe.escape(item.local))"
            : "\(TerminalSafe.escape(item.local)) to s3://\(item.bucket)/\(TerminalSafe.escape(item.key))"
        switch item.state {
        case .done:
            lock.withLock {
                doneCount += 1
                if doneKeys.count <= 100 { doneKeys.append(item.key) }
            }
        case .skipped(let why): line("pail: skipped \(what): \(TerminalSafe.escape(why))")
        case .failed(let why): line("pail: failed \(what): \(TerminalSafe.escape(why))")
        default: break
        }
    }

    func line(_ text: String) {
        lock.withLock {
            StandardError.write((drawn ? "\r\u{1B}[K" : "") + text + "\n")
            drawn = false
        }
    }

    func draw(_ progress: String, end: Bool = false) {
        lock.withLock {
            StandardError.write("\r" + progress + "\u{1B}[K" + (end ? "\n" : ""))
            drawn = !end
        }
    }
}
