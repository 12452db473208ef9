import Browser
import Foundation
import Operations

/// One download the browser started: the folder it writes to and whether objects stored
/// gzip-encoded are written decoded (the download prompt's ^G), kept until its summary.
struct DownloadBatch: Sendable {
    var folder: String
    var gunzip: Bool
}

extension BrowserSession {
    /// "downloaded 2 files, 3.1 MiB, to /tmp/site", and how the objects stored gzip-encoded
    /// were written (a compressed file under a plain name surprises: say so, and how to decode).
    static func batchSummary(_ items: [TransferItem], _ download: DownloadBatch) -> (text: String, failed: Bool)? {
        guard var summary = batchSummary(items, destination: download.folder) else { return nil }
        let encoded = items.filter { $0.state == .done && $0.gzipEncoded }.count
        if encoded > 0 {
            summary.text += TerminalSafe.escape(
                "; \(Formatting.things(encoded, "object")) stored gzip-encoded, "
                + (download.gunzip ? "written decoded" : "written as stored, compressed (^G in the prompt decodes)"))
        }
        return summary
    }
}
