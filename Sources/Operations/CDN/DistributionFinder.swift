import Foundation
import S3

/// Finds the CloudFront distribution in front of a bucket among the account's distributions:
/// one with an origin on the bucket's S3 host (`BUCKET.s3.amazonaws.com`, the regional and
/// website forms, or the bucket's virtual host on the endpoint in use), or one named by the
/// configured CDN domain (an alias, or its `*.cloudfront.net` name).
public enum DistributionFinder {
    public struct Match: Sendable, Equatable {
        public var distribution: CloudFrontDistribution
        /// The origin on the bucket, whose origin path maps keys to CDN paths; nil when the
        /// distribution was matched by its domain only.
        public var origin: CloudFrontOrigin?
    }

    public static func matches(
        bucket: String, cdnDomain: String?, endpointHosts: [String] = [],
        in distributions: [CloudFrontDistribution]
    ) -> [Match] {
        let domain = cdnDomain.map(bareHost)
        var out: [Match] = []
        for d in distributions {
            let origin = d.origins.first { isBucketOrigin($0.domainName, bucket: bucket, endpointHosts: endpointHosts) }
            let named = domain.map { !$0.isEmpty && ($0 == d.domainName || d.aliases.contains($0)) } ?? false
            if origin != nil || named { out.append(Match(distribution: d, origin: origin)) }
        }
        // Named by the configured domain is the stronger evidence.
        if let domain,
            out.contains(where: { $0.distribution.domainName == domain || $0.distribution.aliases.contains(domain) })
        {
            out = out.filter { $0.distribution.domainName == domain || $0.distribution.aliases.contains(domain) }
        }
        return out
    }

    /// `cdn.example.com` from `https://cdn.example.com/`, lower-cased.
    static func bareHost(_ domain: String) -> String {
        var d = domain.lowercased()
        for scheme in ["https://", "http://"] where d.hasPrefix(scheme) { d.removeFirst(scheme.count) }
        if let slash = d.firstIndex(of: "/") { d = String(d[..<slash]) }
        return d
    }

    /// Whether an origin's host is the bucket on S3 (any of AWS's forms) or on the endpoint.
    public static func isBucketOrigin(_ host: String, bucket: String, endpointHosts: [String]) -> Bool {
        let host = host.lowercased()
        let lead = bucket.lowercased() + "."
        guard host.hasPrefix(lead) else { return false }
        let rest = String(host.dropFirst(lead.count))
        if endpointHosts.contains(rest) { return true }
        let middle: String
        if rest.hasSuffix(".amazonaws.com") {
            middle = String(rest.dropLast(".amazonaws.com".count))
        } else if rest.hasSuffix(".amazonaws.com.cn") {
            middle = String(rest.dropLast(".amazonaws.com.cn".count))
        } else {
            return false
        }
        let labels = middle.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch labels.count {
        case 1:
            let l = labels[0]
            if l == "s3" || l == "s3-external-1" { return true }
            for lead in ["s3-website-", "s3-"] where l.hasPrefix(lead) {
                return RedirectAdvice.isRegionName(String(l.dropFirst(lead.count)))
            }
            return false
        case 2:
            return (labels[0] == "s3" || labels[0] == "s3-website") && RedirectAdvice.isRegionName(labels[1])
        case 3:
            return labels[0] == "s3" && labels[1] == "dualstack" && RedirectAdvice.isRegionName(labels[2])
        default:
            return false
        }
    }
}
