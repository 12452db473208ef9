import Foundation
import S3

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
        let request = HTTPRequest(method: "GET", scheme: config.endpoint.scheme, host: loc.host,
                                  port: config.endpoint.port, path: loc.path)
        return request.url
    }

    /// The public URL on the bucket's custom domain (django-storages' AWS_S3_CUSTOM_DOMAIN).
    public func cdnURL(bucket: String, key: String) throws -> String {
        guard var domain = settings.cdnDomain, !domain.isEmpty else {
            throw S3Error.configuration("no CDN domain for bucket \(bucket): set cdn_domain in "
                                        + "\(PailConfig.displayPath) or pass --cdn-domain")
        }
        var path = key
        if let origin = settings.cdnOriginPath, !origin.isEmpty {
            guard key.hasBytePrefix(origin) else {
                throw S3Error.configuration("the CDN serves only keys under \(origin) (cdn_origin_path); "
                                            + "\(TerminalSafe.escape(key)) is outside it")
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

    /// The DigitalOcean Spaces CDN form, `https://BUCKET.REGION.cdn.digitaloceanspaces.com/KEY`,
    /// when the endpoint is a Spaces region (`REGION.digitaloceanspaces.com`); nil otherwise, or
    /// when the bucket cannot be one DNS label under the CDN's wildcard certificate. Spaces
    /// serves it only once the CDN is enabled on the bucket, so it is offered, not assumed.
    public func spacesCDNURL(bucket: String, key: String) -> String? {
        let endpoint = client.config.endpoint
        let labels = endpoint.host.split(separator: ".", omittingEmptySubsequences: false)
        guard endpoint.isDigitalOceanSpaces, labels.count == 3, let region = labels.first, !region.isEmpty,
            region.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }),
            S3Endpoint(scheme: "https", host: endpoint.host, port: nil, basePath: "", isDefaultAWS: false)
                .canUseVirtualHost(bucket)
        else { return nil }
        return "https://\(bucket).\(region).cdn.digitaloceanspaces.com\(URIEncoding.encodePath("/" + key))"
    }

    /// The R2 bucket's public development URL (`https://pub-<hash>.r2.dev/KEY`) when the
    /// configuration file gives it (`r2_dev_url`): Cloudflare picks the hash, pail cannot
    /// derive it. It serves the whole bucket, so no origin path applies.
    public func r2DevURL(bucket: String, key: String) -> String? {
        guard let base = settings.r2DevURL, !base.isEmpty else { return nil }
        return base + URIEncoding.encodePath("/" + key)
    }

    /// The provider's own CDN or public URL: the R2 development URL when configured, else the
    /// Spaces CDN form; nil elsewhere.
    public func providerCDNURL(bucket: String, key: String) -> (label: String, url: String)? {
        if let url = r2DevURL(bucket: bucket, key: key) { return ("r2.dev", url) }
        if let url = spacesCDNURL(bucket: bucket, key: key) { return ("Spaces CDN", url) }
        return nil
    }

    /// Every public URL on a CDN that can be offered: the custom domain (when configured and
    /// the key is under its origin path), then the provider's. A person picks one; none is
    /// checked here.
    public func cdnChoices(bucket: String, key: String) -> [(label: String, url: String)] {
        var out: [(label: String, url: String)] = []
        if let url = try? cdnURL(bucket: bucket, key: key) { out.append(("CDN", url)) }
        if let url = r2DevURL(bucket: bucket, key: key) { out.append(("r2.dev", url)) }
        if let url = spacesCDNURL(bucket: bucket, key: key) { out.append(("Spaces CDN", url)) }
        return out
    }

    /// `--cdn`: the custom domain, else the provider's CDN, else the custom domain's error
    /// (which says how to configure one).
    public func anyCDNURL(bucket: String, key: String) throws -> String {
        do { return try cdnURL(bucket: bucket, key: key) } catch {
            guard settings.cdnDomain?.isEmpty ?? true, let provider = providerCDNURL(bucket: bucket, key: key) else {
                throw error
            }
            return provider.url
        }
    }

    /// What visitors request, for the public-URL check: the custom domain, else the R2
    /// development URL, else the endpoint (the Spaces CDN is left out: it may not be enabled).
    /// It names where its host came from, so a failure to reach it says what to change.
    public func publicURL(bucket: String, key: String) -> PublicURL {
        if let url = try? cdnURL(bucket: bucket, key: key) {
            let domain = settings.cdnDomain ?? ""
            return PublicURL(url: url, source: "the CDN domain \(TerminalSafe.escape(domain)) (cdn_domain in "
                             + "[bucket \(TerminalSafe.escape(bucket))] of \(PailConfig.displayPath), or --cdn-domain)")
        }
        if let url = r2DevURL(bucket: bucket, key: key) {
            return PublicURL(url: url, source: "the R2 development URL (r2_dev_url in "
                             + "[bucket \(TerminalSafe.escape(bucket))] of \(PailConfig.displayPath))")
        }
        return PublicURL(url: endpointURL(bucket: bucket, key: key), source: "the endpoint (--endpoint-url)")
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
        let region = client.config.region
        let partition = region.hasPrefix("cn-") ? "aws-cn" : (region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws")
        return "arn:\(partition):s3:::\(bucket)/\(key)"
    }
}
