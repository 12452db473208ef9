import Foundation

/// What pail may tell the person when a server answers "the bucket is elsewhere"
/// (PermanentRedirect and its kin). The region and the endpoint in that answer are the
/// server's words: a hostile or confused server could name any host, and a person told
/// "use --endpoint-url https://that-host" would send signed requests there. So pail
/// suggests only a region name, or a host of the same provider as the endpoint in use (an
/// AWS regional S3 host for AWS); anything else is shown as the server's text.
public enum RedirectAdvice {
    static let redirectCodes: Set<String> = ["PermanentRedirect", "AuthorizationHeaderMalformed",
                                             "IllegalLocationConstraintException", "TemporaryRedirect"]

    /// The advice for `error`, or nil when there is none pail can vouch for.
    static func advice(for error: ServiceError, configured: S3Endpoint, bucket: String?) -> String? {
        guard redirectCodes.contains(error.code) || error.status == 301 || error.status == 307 else { return nil }
        let aws = configured.isDefaultAWS || configured.isAWS
        var region = error.region.flatMap { isRegionName($0) ? $0 : nil }
        let named = error.endpoint.flatMap { hostOnly($0, bucket: bucket) }
        if aws {
            if region == nil, let named { region = awsRegion(ofHost: named) }
            guard let region else { return nil }
            if configured.isDefaultAWS { return "use --region \(region)" }
            return "use --region \(region) --endpoint-url https://\(S3Endpoint.awsHost("s3", region: region))"
        }
        if let named, sameProvider(named, configured.host) {
            return "use --endpoint-url \(configured.scheme)://\(named)"
        }
        if let region, error.endpoint == nil { return "use --region \(region)" }
        return nil
    }

    /// An AWS region name: lower-case letters, digits and dashes. Anything else (a dot, a
    /// slash) could move the host pail builds from it.
    public static func isRegionName(_ s: String) -> Bool {
        (2...32).contains(s.utf8.count)
            && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
            && !s.hasPrefix("-") && !s.hasSuffix("-")
    }

    /// The host of an endpoint the server named, lower-cased, without a leading
    /// `bucket.`; nil unless it is a plain DNS name (letters, digits, dashes and dots).
    static func hostOnly(_ endpoint: String, bucket: String?) -> String? {
        var host = endpoint.lowercased()
        guard (1...253).contains(host.utf8.count),
              host.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39)
                                     || $0 == 0x2D || $0 == 0x2E }),
              !host.hasPrefix("."), !host.hasSuffix("."), !host.contains("..") else { return nil }
        if let bucket, !bucket.isEmpty, host.hasPrefix(bucket.lowercased() + ".") {
            host = String(host.dropFirst(bucket.utf8.count + 1))
        }
        return host
    }

    /// The region of `s3.REGION.amazonaws.com`, `s3-REGION.amazonaws.com` (and `.com.cn`),
    /// or us-east-1 for `s3.amazonaws.com`; nil for any other host.
    static func awsRegion(ofHost host: String) -> String? {
        var rest: Substring
        if host.hasSuffix(".amazonaws.com.cn") { rest = host.dropLast(".amazonaws.com.cn".count) }
        else if host.hasSuffix(".amazonaws.com") { rest = host.dropLast(".amazonaws.com".count) }
        else { return nil }
        if rest == "s3" { return "us-east-1" }
        if rest.hasPrefix("s3.dualstack.") { rest = rest.dropFirst("s3.dualstack.".count) }
        else if rest.hasPrefix("s3.") || rest.hasPrefix("s3-") { rest = rest.dropFirst(3) }
        else { return nil }
        let region = String(rest)
        return isRegionName(region) ? region : nil
    }

    /// Whether `host` belongs to the same provider as `configured`: both under the same
    /// parent domain of at least two labels (`ams3.digitaloceanspaces.com` for
    /// `nyc3.digitaloceanspaces.com`), or the same host. IP addresses and single-label
    /// hosts match only themselves.
    static func sameProvider(_ host: String, _ configured: String) -> Bool {
        if host == configured { return true }
        let labels = configured.split(separator: ".")
        guard labels.count >= 3, !labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return false }
        let parent = labels.dropFirst().joined(separator: ".")
        return host.hasSuffix("." + parent)
    }
}
