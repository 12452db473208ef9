import ArgumentParser
import Foundation
import Operations
import S3

struct UrlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "url",
        abstract: "Print the URL of an object: on the endpoint, on the CDN, presigned, or its ARN.")

    @OptionGroup var global: GlobalOptionGroup

    @Flag(help: "A presigned GET URL (signed with the current credentials).")
    var presign = false

    @Option(help: "Presigned URL lifetime: seconds (3600) or 90s, 15m, 1h, 7d; at most 7d.")
    var expires: String?

    @Flag(help: ArgumentHelp("The public URL on the bucket's custom domain (cdn_domain), else on the provider's "
                             + "CDN: the R2 development URL (r2_dev_url) or the Spaces CDN."))
    var cdn = false

    @Option(name: .customLong("cdn-domain"), help: "The custom domain (overrides the configuration file).")
    var cdnDomain: String?

    @Flag(help: ArgumentHelp("Every form that can be given, one per line after its label (FORM<tab>URL): s3, "
                             + "https, cdn, r2.dev, spaces-cdn, presigned (with --presign), arn."))
    var all = false

    @Option(help: "Addressing for the endpoint URL: path or virtual.")
    var style: String?

    @Flag(help: "The ARN (AWS only).")
    var arn = false

    @Flag(name: .customLong("s3"), help: "The s3:// URI.")
    var s3URI = false

    @Flag(help: ArgumentHelp("HEAD the public URL (CDN, else endpoint) with an Origin (site_origin, else "
                             + "the CDN's) and show CORS and cache headers."))
    var check = false

    @Option(help: ArgumentHelp("The Origin --check sends (overrides site_origin).", valueName: "origin"))
    var origin: String?

    @Option(name: .customLong("signing-time"), help: .hidden)
    var signingTime: String?

    @Argument(help: "s3://bucket/key")
    var target: String

    func validate() throws {
        if [presign && !all, cdn, arn, s3URI, all].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --presign, --cdn, --arn, --s3, --all")
        }
        if expires != nil && !presign { throw ValidationError("--expires goes with --presign") }
        if let style, style != "path" && style != "virtual" { throw ValidationError("--style is path or virtual") }
        if check && (all || presign || arn || s3URI) { throw ValidationError("--check takes no other form") }
    }

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            let env = ProcessInfo.processInfo.environment
            let (config, warning) = PailConfig.load(environment: env)
            if let warning { StandardError.write("pail: \(warning)\n") }
            var settings = config.settings(for: uri.bucket)
            if let cdnDomain { settings.cdnDomain = cdnDomain }
            let client = try global.makeClient(requireCredentials: presign)
            let urls = ObjectURLs(client: client, settings: settings)
            let style = style.flatMap(AddressingStyle.init(rawValue:))
            if check {
                let url = urls.publicURL(bucket: uri.bucket, key: uri.key)
                let sent = try origin.map { text -> String in
                    guard let o = PublicURLProbe.normalizedOrigin(text) else {
                        throw ValidationError("--origin takes scheme://host[:port]")
                    }
                    return o
                } ?? PublicURLProbe.origin(for: settings)
                let result = try PublicURLProbe.check(url, origin: sent, caBundle: client.config.caBundle)
                for line in result.lines { StandardOutput.shared.write(line + "\n") }
                return
            }
            let presigned = { () throws -> String in
                let seconds = try expires.map(Durations.parse) ?? settings.presignSeconds ?? 3600
                let date = try signingTime.map { text -> Date in
                    guard let d = Timestamps.parseISO8601(text) else {
                        throw ValidationError("--signing-time takes ISO 8601")
                    }
                    return d
                }
                let url = try urls.presignedURL(bucket: uri.bucket, key: uri.key, seconds: seconds, date: date)
                if let w = urls.presignWarning(seconds: seconds) { StandardError.write("pail: warning: \(w)\n") }
                return url
            }
            if all {
                // A table for a person or `cut -f2`: each form pail can give for this bucket
                // and endpoint, the CDN ones side by side so the right one can be picked.
                var rows = [("s3", urls.s3URI(bucket: uri.bucket, key: uri.key)),
                            ("https", urls.endpointURL(bucket: uri.bucket, key: uri.key, style: style))]
                let labels = ["CDN": "cdn", "r2.dev": "r2.dev", "Spaces CDN": "spaces-cdn"]
                rows += urls.cdnChoices(bucket: uri.bucket, key: uri.key).map { (labels[$0.label] ?? $0.label, $0.url) }
                if presign { rows.append(("presigned", try presigned())) }
                if let arn = try? urls.arn(bucket: uri.bucket, key: uri.key) { rows.append(("arn", arn)) }
                for (label, url) in rows { StandardOutput.shared.write("\(label)\t\(url)\n") }
                return
            }
            let form: URLForm = presign ? .presigned : cdn ? .cdn : arn ? .arn : s3URI ? .s3
                : (settings.urlForm ?? .https)
            let url: String
            switch form {
            case .s3: url = urls.s3URI(bucket: uri.bucket, key: uri.key)
            case .https: url = urls.endpointURL(bucket: uri.bucket, key: uri.key, style: style)
            case .cdn: url = try urls.anyCDNURL(bucket: uri.bucket, key: uri.key)
            case .arn: url = try urls.arn(bucket: uri.bucket, key: uri.key)
            case .presigned: url = try presigned()
            }
            StandardOutput.shared.write(url + "\n")
        }
    }
}
