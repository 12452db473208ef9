import ArgumentParser
import Foundation
import Operations
import S3

struct CpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Upload a file to S3, or download an object to a local file.")

    @OptionGroup var global: GlobalOptionGroup

    @Option(name: .customLong("content-type"), help: "Content-Type (default: guessed from the name).")
    var contentType: String?
    @Option(name: .customLong("cache-control"), help: "Cache-Control, e.g. \"public, max-age=31536000\".")
    var cacheControl: String?
    @Option(name: .customLong("content-encoding"), help: "Content-Encoding, e.g. gzip.")
    var contentEncoding: String?
    @Option(name: .customLong("content-disposition"), help: "Content-Disposition.")
    var contentDisposition: String?
    @Option(name: .customLong("content-language"), help: "Content-Language.")
    var contentLanguage: String?
    @Option(name: .customLong("metadata"), help: "User metadata k=v (repeatable).")
    var metadata: [String] = []
    @Flag(help: "Replace an existing local file.")
    var overwrite = false

    @Argument(help: "Source: a local file or s3://bucket/key.")
    var source: String
    @Argument(help: "Destination: s3://bucket/key (or s3://bucket/prefix/), or a local path.")
    var destination: String

    func run() throws {
        try runReportingErrors {
            let client = try global.makeClient()
            switch (S3URI.isS3(source), S3URI.isS3(destination)) {
            case (false, true):
                var uri = try S3URI(parsing: destination)
                if uri.key.isEmpty || uri.key.hasSuffix("/") { uri.key += (source as NSString).lastPathComponent }
                var options = SingleTransfer.UploadOptions()
                options.contentType = contentType
                options.cacheControl = cacheControl
                options.contentEncoding = contentEncoding
                options.contentDisposition = contentDisposition
                options.contentLanguage = contentLanguage
                options.metadata = try metadata.map { pair in
                    guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                        throw ValidationError("--metadata takes name=value, got \"\(pair)\"")
                    }
                    return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
                }
                try SingleTransfer.upload(client: client, file: source, bucket: uri.bucket, key: uri.key, options: options)
                StandardError.write("upload: \(TerminalSafe.escape(source)) to \(TerminalSafe.escape(uri.description))\n")
            case (true, false):
                let uri = try S3URI(parsing: source)
                guard !uri.key.isEmpty, !uri.key.hasSuffix("/") else {
                    throw S3Error.configuration("cp needs an object key; folders come with the transfers work (cp -r)")
                }
                var dest = destination
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: dest, isDirectory: &isDir), isDir.boolValue {
                    let name = uri.key.split(separator: "/").last.map(String.init) ?? uri.key
                    guard name != "." && name != ".." else { throw S3Error.local("key \(TerminalSafe.escape(uri.key)) cannot be a local file name") }
                    dest = (dest as NSString).appendingPathComponent(name)
                }
                try SingleTransfer.download(client: client, bucket: uri.bucket, key: uri.key, destination: dest, overwrite: overwrite)
                StandardError.write("download: \(TerminalSafe.escape(uri.description)) to \(TerminalSafe.escape(dest))\n")
            default:
                throw ValidationError("one of source and destination must be s3://..., the other local")
            }
        }
    }
}
