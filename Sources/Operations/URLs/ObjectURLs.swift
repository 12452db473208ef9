import Foundation
import S3

/// The ways to name an object: every form a person may need to paste somewhere.
public enum URLForm: String, CaseIterable, Sendable {
    case s3, https, cdn, presigned, arn
}

/// Builds an object's URLs from the client's endpoint and the pail configuration. Keys are
/// percent-encoded once (S3 rule 16); a CDN URL is a plain URL, never a signed one (rule 17).
public struct ObjectURLs {
    public let client: S3Client
    public let settings: BucketSettings

    public init(client: S3Client, settings: BucketSettings) {
        self.client = client
        self.settings = settings
    }

    public func s3URI(bucket: String, key: String) -> String { "s3://\(bucket)/\(key)" }

    /// The HTTPS (or HTTP) URL on the endpoint in use, path or virtual style as the endpoint
    /// needs, or as `style` forces.
    public func endpointURL(bucket: String, key: String, style: AddressingStyle? = nil) -> String {
        let config = client.config
        let loc = config.endpoint.location(bucket: bucket, key: key, style: style ?? config.addressing,
                                           region: config.endpoint.isDefaultAWS ? config.region : nil)
        let request = HTTPRequest(method: "GET", scheme: config.endpoint.scheme, host: loc.host, port: config.endpoint.port, path: loc.path)
        return request.url
    }

    /// The public URL on the bucket's custom domain (django-storages' AWS_S3_CUSTOM_DOMAIN).
    public func cdnURL(bucket: String, key: String) throws -> String {
        guard var domain = settings.cdnDomain, !domain.isEmpty else {
            throw S3Error.configuration("no CDN domain for bucket \(bucket): set cdn_domain in \(PailConfig.displayPath) or pass --cdn-domain")
        }
        var path = key
        if let origin = settings.cdnOriginPath, !origin.isEmpty {
            guard key.hasBytePrefix(origin) else {
                throw S3Error.configuration("the CDN serves only keys under \(origin) (cdn_origin_path); \(TerminalSafe.escape(key)) is outside it")
            }
            path = key.droppingBytePrefix(origin)
        }
        var scheme = "https"
        if domain.hasPrefix("http://") || domain.hasPrefix("https://") {
            scheme = domain.hasPrefix("http://") ? "http" : "https"
            domain = String(domain.drop { $0 != "/" }.dropFirst(2))
        }
        while domain.hasByteSuffix("/") { domain.removeLast() }
        return "\(scheme)://\(domain)\(URIEncoding.encodePath("/" + path))"
    }

    public func presignedURL(bucket: String, key: String, seconds: Int, date: Date? = nil) throws -> String {
        try client.presignedURL(bucket: bucket, key: key, expires: seconds, date: date)
    }

    /// A warning when a presigned URL would outlive the credentials that sign it (rule 18).
    public func presignWarning(seconds: Int, now: Date = Date()) -> String? {
        guard let creds = client.credentials else { return nil }
        if let expiration = creds.expiration, expiration < now.addingTimeInterval(Double(seconds)) {
            let left = Int(expiration.timeIntervalSince(now))
            return "the credentials expire in \(Durations.format(max(0, left))); the URL stops working then"
        }
        if creds.sessionToken != nil {
            return "signed with temporary credentials: the URL stops working when the session ends"
        }
        return nil
    }

    public func arn(bucket: String, key: String) throws -> String {
        let endpoint = client.config.endpoint
        guard endpoint.isAWS || endpoint.isDefaultAWS else {
            throw S3Error.configuration("ARNs name AWS resources; \(endpoint.display) is not AWS")
        }
        let partition = client.config.region.hasPrefix("cn-") ? "aws-cn" : (client.config.region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws")
        return "arn:\(partition):s3:::\(bucket)/\(key)"
    }
}
