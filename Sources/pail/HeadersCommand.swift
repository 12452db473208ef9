import ArgumentParser
import Foundation
import Operations
import S3

struct HeadersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headers",
        abstract: "Audit headers: Content-Type, Cache-Control, Content-Encoding of every object under a prefix.")

    @OptionGroup var global: GlobalOptionGroup

    @Flag(name: [.short, .customLong("recursive")], help: "Every object below the prefix, not just one level.")
    var recursive = false
    @Flag(help: "JSON Lines: key, size, last_modified, content_type, cache_control, content_encoding.")
    var json = false
    @Option(help: "Only objects without this header (repeatable).")
    var missing: [String] = []
    @Option(help: ArgumentHelp("Only objects matching: NAME=VALUE, NAME~TEXT, NAME!~TEXT, max-age<1d, not-gzip, "
                               + "type-mismatch, no-cors (repeatable)."))
    var match: [String] = []

    @Argument(help: "s3://bucket/prefix/ or s3://bucket/key")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            let rules = try missing.map { AuditRule.missing($0) } + match.map(AuditRule.parse)
            let client = try global.makeClient()
            let out = StandardOutput.shared
            if !json {
                let typeTitle = "CONTENT-TYPE".padding(toLength: 26, withPad: " ", startingAt: 0)
                let cache = "CACHE-CONTROL".padding(toLength: 36, withPad: " ", startingAt: 0)
                let encoding = "ENCODING".padding(toLength: 9, withPad: " ", startingAt: 0)
                out.write("\(typeTitle) \(cache) \(encoding) KEY\n")
            }
            var shown = 0
            let auditor = HeaderAuditor(client: client)
            if rules.contains(.fontWithoutCORS) {
                auditor.corsProbe = try Self.corsProbe(client: client, bucket: uri.bucket)
            }
            // Rows stream to stdout: on a terminal they show the work themselves.
            let progress = Progress("read the headers of", enabled: StandardError.isTerminal && isatty(1) == 0)
            defer { progress.finish() }
            try auditor.audit(bucket: uri.bucket, prefix: uri.key, recursive: recursive) { rows in
                progress.add(objects: rows.count, bytes: rows.reduce(0) { $0 + $1.size })
                for row in rows where rules.allSatisfy({ $0.matches(row) }) {
                    shown += 1
                    if json {
                        var j = JSONWriter()
                        j.field("key", row.key)
                        j.field("size", row.size)
                        j.field("last_modified", row.lastModified.map(Timestamps.formatISO8601))
                        j.field("content_type", row.contentType)
                        j.field("cache_control", row.cacheControl)
                        j.field("content_encoding", row.contentEncoding)
                        if let e = row.error { j.field("error", e) }
                        out.write(j.line)
                    } else {
                        func col(_ s: String?, _ w: Int) -> String {
                            let v = TerminalSafe.escape(s ?? "-")
                            return v.count > w ? String(v.prefix(w - 1)) + "…"
                                : v.padding(toLength: w, withPad: " ", startingAt: 0)
                        }
                        let problem = row.error.map { "  ! " + TerminalSafe.escape($0) } ?? ""
                        out.write("\(col(row.contentType, 26)) \(col(row.cacheControl, 36)) "
                                  + "\(col(row.contentEncoding, 9)) \(TerminalSafe.escape(row.key))\(problem)\n")
                    }
                }
            }
            progress.finish()
            if !json && StandardError.isTerminal { StandardError.write("\(shown) objects\n") }
        }
    }

    /// HEADs a font's public URL (CDN, else endpoint) with the Origin of `url --check`.
    static func corsProbe(client: S3Client, bucket: String) throws
        -> (String) throws -> (origin: String, allowOrigin: String?) {
        let (config, warning) = PailConfig.load(environment: ProcessInfo.processInfo.environment)
        if let warning { StandardError.write("pail: \(warning)\n") }
        let settings = config.settings(for: bucket)
        guard let origin = PublicURLProbe.origin(for: settings) else {
            throw S3Error.configuration("no-cors needs the site's origin: set site_origin (or cdn_domain) under "
                                        + "[bucket \(bucket)] in \(PailConfig.displayPath)")
        }
        let urls = ObjectURLs(client: client, settings: settings)
        return { key in
            let url = (try? urls.cdnURL(bucket: bucket, key: key)) ?? urls.endpointURL(bucket: bucket, key: key)
            let served = try PublicURLProbe.head(url, origin: origin, caBundle: client.config.caBundle)
            return (origin, served.header("Access-Control-Allow-Origin"))
        }
    }
}
