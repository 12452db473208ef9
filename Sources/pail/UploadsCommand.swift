import ArgumentParser
import Foundation
import Operations
import S3

/// `pail uploads`: multipart uploads that were started and never completed or aborted. Their
/// parts are stored and billed, and no listing of objects shows them.
struct UploadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uploads",
        abstract: "Incomplete multipart uploads below a prefix, with their size and age; --abort removes them.")

    @OptionGroup var global: GlobalOptionGroup

    @Flag(help: "Abort the uploads listed (asks first; --yes skips the question).")
    var abort = false
    @Option(help: "Only uploads started longer ago than DURATION (1h, 7d).")
    var older: String?
    @Flag(help: "With --abort: do not ask.")
    var yes = false
    @Flag(help: "Print JSON Lines: key, upload_id, initiated, parts, size; the total last.")
    var json = false

    @Argument(help: "s3://bucket[/prefix/]")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            let olderThan = try older.map(Durations.parseAny)
            let client = try global.makeClient()
            if abort { try client.requireWritable("DELETE", bucket: uri.bucket, key: uri.key) }
            let now = Date()
            // A prefix up to a "/", as for rm -r: media never reaches media-old/ (rule 8).
            let prefix = S3URI.boundedPrefix(uri.key)
            let uploads = try client.listMultipartUploads(bucket: uri.bucket, prefix: prefix).filter { u in
                guard let olderThan else { return true }
                return u.initiated.map { now.timeIntervalSince($0) >= Double(olderThan) } ?? false
            }
            let out = StandardOutput.shared
            var total: Int64 = 0
            var sizes: [Int64] = []
            for u in uploads {
                // A part list that cannot be read still leaves the upload listed (and abortable).
                let parts = (try? client.listParts(bucket: uri.bucket, key: u.key, uploadId: u.uploadId)) ?? []
                let size = parts.reduce(Int64(0)) { $0 + $1.size }
                sizes.append(size)
                total += size
                if json {
                    var j = JSONWriter()
                    j.field("key", u.key)
                    j.field("upload_id", u.uploadId)
                    j.field("initiated", u.initiated.map(Timestamps.formatISO8601))
                    j.field("parts", Int64(parts.count))
                    j.field("size", size)
                    out.write(j.line)
                } else {
                    let date = u.initiated.map(Timestamps.formatLocal) ?? "                   "
                    let sizeText = ByteCount.format(size)
                    out.write("\(date) \(String(repeating: " ", count: max(0, 10 - sizeText.count)))\(sizeText) "
                              + "\(Plural.things(parts.count, "part"))  \(TerminalSafe.escape(u.key))\n")
                }
            }
            if json {
                var j = JSONWriter()
                j.field("total", true)
                j.field("uploads", Int64(uploads.count))
                j.field("size", total)
                out.write(j.line)
            } else {
                out.write("\(Plural.things(uploads.count, "incomplete upload")), \(ByteCount.format(total)) stored\n")
            }
            guard abort, !uploads.isEmpty else { return }
            out.flush()
            if !yes {
                guard Confirmation.canAsk else {
                    throw S3Error.configuration("uploads --abort would abort without asking: "
                                                + "pass --yes, or run it on a terminal")
                }
                let lines = ["\(Plural.things(uploads.count, "upload")), \(ByteCount.format(total)), "
                             + "in s3://\(uri.bucket)/; their parts are deleted for good"]
                let word = uploads.count > 100 ? String(uploads.count) : nil
                guard Confirmation.ask(lines, question: "Abort them?", word: word) else {
                    StandardError.write("nothing aborted\n")
                    throw ExitCode(1)
                }
            }
            var failed = 0
            for u in uploads {
                do {
                    try client.abortMultipartUpload(bucket: uri.bucket, key: u.key, uploadId: u.uploadId)
                } catch {
                    failed += 1
                    StandardError.write("pail: could not abort \(TerminalSafe.escape(u.key)): "
                                        + "\(TerminalSafe.escape(String(describing: error)))\n")
                }
            }
            let aborted = Plural.grouped(uploads.count - failed)
            StandardError.write("aborted \(aborted) of \(Plural.things(uploads.count, "upload")), "
                                + "\(ByteCount.format(total)) freed\n")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
