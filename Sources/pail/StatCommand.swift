import ArgumentParser
import Foundation
import Operations
import S3

struct StatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stat",
        abstract: "Show every header and metadata entry of one object.")

    @OptionGroup var global: GlobalOptionGroup

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(name: .customLong("version-id"), help: "A specific version of the object.")
    var versionId: String?

    @Argument(help: "s3://bucket/key")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            guard !uri.key.isEmpty else { throw S3Error.configuration("stat needs an object: s3://\(uri.bucket)/KEY") }
            let client = try global.makeClient()
            let head = try client.headObject(bucket: uri.bucket, key: uri.key, versionId: versionId)
            let out = StandardOutput.shared
            if json {
                var j = JSONWriter()
                Format.objectFields(&j, key: uri.key, size: head.size, lastModified: head.lastModified, etag: head.etag,
                                    storageClass: head.storageClass)
                j.field("content_type", head.contentType)
                j.field("content_encoding", head.contentEncoding)
                j.field("cache_control", head.cacheControl)
                j.field("content_disposition", head.contentDisposition)
                j.field("content_language", head.contentLanguage)
                j.field("expires", head.expires)
                j.field("metadata", object: head.metadata)
                j.field("version_id", head.versionId)
                j.field("server_side_encryption", head.serverSideEncryption)
                j.field("website_redirect_location", head.websiteRedirectLocation)
                out.write(j.line)
                return
            }
            var rows: [(String, String)] = [
                ("Key", uri.key), ("Size", String(head.size)),
                ("Last-Modified", head.lastModified.map(Timestamps.formatISO8601) ?? "-"),
                ("ETag", head.etag), ("Storage-Class", head.storageClass ?? "STANDARD"),
            ]
            let optional: [(String, String?)] = [
                ("Content-Type", head.contentType), ("Content-Encoding", head.contentEncoding),
                ("Cache-Control", head.cacheControl), ("Content-Disposition", head.contentDisposition),
                ("Content-Language", head.contentLanguage), ("Expires", head.expires),
                ("Version-Id", head.versionId), ("Server-Side-Encryption", head.serverSideEncryption),
                ("SSE-KMS-Key-Id", head.sseKMSKeyId), ("Website-Redirect", head.websiteRedirectLocation),
            ]
            rows += optional.compactMap { name, value in value.map { (name, $0) } }
            for (name, value) in rows {
                out.write(name.padding(toLength: 24, withPad: " ", startingAt: 0) + TerminalSafe.escape(value) + "\n")
            }
            if !head.metadata.isEmpty {
                out.write("Metadata:\n")
                for (name, value) in head.metadata {
                    out.write("  \(TerminalSafe.escape(name)): \(TerminalSafe.escape(value))\n")
                }
            }
        }
    }
}
