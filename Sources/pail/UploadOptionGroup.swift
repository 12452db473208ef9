import ArgumentParser
import Foundation
import Operations
import S3

/// The header and transfer options `cp` and `sync` share: what uploads carry, and how
/// transfers are cut and run.
struct UploadOptionGroup: ParsableArguments {
    @Option(name: .customLong("content-type"), help: "Content-Type (default: guessed from each name).")
    var contentType: String?
    @Option(name: .customLong("cache-control"), help: "Cache-Control, e.g. \"public, max-age=31536000\".")
    var cacheControl: String?
    @Option(name: .customLong("content-encoding"), help: "Content-Encoding, e.g. gzip (for files already compressed).")
    var contentEncoding: String?
    @Option(name: .customLong("content-disposition"), help: "Content-Disposition.")
    var contentDisposition: String?
    @Option(name: .customLong("content-language"), help: "Content-Language.")
    var contentLanguage: String?
    @Option(name: .customLong("metadata"), help: "User metadata k=v (repeatable).")
    var metadata: [String] = []
    @Flag(help: "Compress text types (CSS, JS, SVG, JSON, ...) with gzip and set Content-Encoding: gzip.")
    var gzip = false
    @Option(help: "Requests in flight at once.")
    var concurrency = 16
    @Option(name: .customLong("part-size"), help: ArgumentHelp(
        "Multipart part size and threshold, in MiB (grows to keep under 10,000 parts); also the download range size.",
        valueName: "MiB"))
    var partSizeMiB: Int?
    // Bytes; for tests of the multipart copy path without 5 GiB objects.
    @Option(name: .customLong("multipart-copy-threshold"), help: .hidden)
    var multipartCopyThreshold: Int64?
    @Option(name: .customLong("copy-part-size"), help: .hidden)
    var copyPartSize: Int64?

    func validate() throws {
        guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency is 1 to 256") }
        if let p = partSizeMiB, p < 5 || p > 5120 { throw ValidationError("--part-size is 5 to 5120 MiB") }
    }

    /// Whether any header option was given (a copy within S3 keeps the source's instead).
    var setsHeaders: Bool {
        contentType != nil || cacheControl != nil || contentEncoding != nil || contentDisposition != nil
            || contentLanguage != nil || !metadata.isEmpty || gzip
    }

    /// The transfer options these flags and the configuration's upload rules give.
    func options(config: PailConfig) throws -> TransferOptions {
        var options = TransferOptions()
        options.concurrency = concurrency
        if let p = partSizeMiB {
            options.partSize = Int64(p) << 20
            options.downloadPartSize = options.partSize
        }
        options.multipartThreshold = options.partSize
        if let t = multipartCopyThreshold { options.multipartCopyThreshold = t }
        if let p = copyPartSize { options.copyPartSize = p }
        options.gzip = gzip
        options.uploadRules = config.uploadRules
        var headers = UploadHeaders()
        headers.contentType = contentType
        headers.cacheControl = cacheControl
        headers.contentEncoding = contentEncoding
        headers.contentDisposition = contentDisposition
        headers.contentLanguage = contentLanguage
        headers.metadata = try metadata.map { pair in
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--metadata takes name=value, got \"\(pair)\"")
            }
            return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
        }
        options.headers = headers
        return options
    }
}
