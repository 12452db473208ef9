import Foundation
import S3

/// Settings for one bucket from pail's configuration file.
public struct BucketSettings: Sendable, Equatable {
    public var cdnDomain: String?
    /// The CloudFront-style origin path: the CDN serves keys under this prefix at its root.
    public var cdnOriginPath: String?
    public var urlForm: URLForm?
    public var presignSeconds: Int?
    /// The CloudFront distribution in front of the bucket (`E2QWRUHAPOMQZL`).
    public var cloudfrontDistribution: String?
    /// A command run with the changed URLs, for other CDNs (see PurgeCommand).
    public var purgeCommand: String?
    /// The site's origin (`https://www.example.com`), sent as `Origin` by the public-URL check.
    public var siteOrigin: String?
    /// `read_only = true`: pail sends no write to this bucket.
    public var readOnly = false
    /// An R2 bucket's public development URL, `https://pub-<hash>.r2.dev` (no trailing slash).
    public var r2DevURL: String?
    public init() {}
}
