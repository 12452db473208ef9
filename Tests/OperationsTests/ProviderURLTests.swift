import XCTest
@testable import Operations
@testable import S3

/// The CDN URLs a provider gives (DigitalOcean Spaces' CDN, R2's development URL), where a
/// public URL's host came from, and the counts in summaries.
final class ProviderURLTests: XCTestCase {
    func urls(_ endpoint: String, region: String = "nyc3", settings: BucketSettings = BucketSettings()) throws
        -> ObjectURLs {
        let config = ClientConfiguration(endpoint: try S3Endpoint(parsing: endpoint), region: region, credentials: nil)
        return ObjectURLs(client: S3Client(config: config), settings: settings)
    }

    func testSpacesEndpointOffersTheSpacesCDNBesideTheCustomDomain() throws {
        var settings = BucketSettings()
        settings.cdnDomain = "cdn.example.com"
        let u = try urls("https://nyc3.digitaloceanspaces.com", settings: settings)
        let key = "media/a b+ü~/🎉.jpg"
        let encoded = "/media/a%20b%2B%C3%BC~/%F0%9F%8E%89.jpg"
        XCTAssertEqual(u.spacesCDNURL(bucket: "site", key: key),
                       "https://site.nyc3.cdn.digitaloceanspaces.com" + encoded)
        XCTAssertEqual(u.cdnChoices(bucket: "site", key: key).map(\.label), ["CDN", "Spaces CDN"])
        XCTAssertEqual(u.cdnChoices(bucket: "site", key: key).first?.url, "https://cdn.example.com" + encoded)
        XCTAssertEqual(try u.anyCDNURL(bucket: "site", key: key), "https://cdn.example.com" + encoded,
                       "the configured custom domain comes first")
        let bare = try urls("https://fra1.digitaloceanspaces.com", region: "fra1")
        XCTAssertEqual(try bare.anyCDNURL(bucket: "site", key: "k"), "https://site.fra1.cdn.digitaloceanspaces.com/k")
        XCTAssertEqual(bare.publicURL(bucket: "site", key: "k").url, "https://site.fra1.digitaloceanspaces.com/k",
                       "the check does not assume the Spaces CDN is enabled")
    }

    func testNoSpacesCDNWhereThereIsNone() throws {
        XCTAssertNil(try urls("https://s3.eu-west-1.amazonaws.com").spacesCDNURL(bucket: "site", key: "k"))
        XCTAssertNil(try urls("http://127.0.0.1:8333").spacesCDNURL(bucket: "site", key: "k"))
        XCTAssertNil(try urls("https://site.nyc3.digitaloceanspaces.com").spacesCDNURL(bucket: "site", key: "k"),
                     "only the region endpoint names the region for certain")
        XCTAssertNil(try urls("https://nyc3.digitaloceanspaces.com").spacesCDNURL(bucket: "my.site", key: "k"),
                     "a dotted name breaks the CDN's wildcard certificate")
        XCTAssertThrowsError(try urls("http://127.0.0.1:8333").anyCDNURL(bucket: "b", key: "k")) {
            XCTAssertTrue("\($0)".contains("cdn_domain"), "\($0)")
        }
    }

    func testR2DevelopmentURLFromTheConfigurationFile() throws {
        let file = try AWSConfigFile(path: "/c", text: """
            [bucket assets]
            r2_dev_url = https://pub-0123456789ABCDEF0123456789abcdef.r2.dev/

            [bucket both]
            cdn_domain = cdn.example.com
            r2_dev_url = pub-0123456789abcdef0123456789abcdef.r2.dev
            """)
        let config = try PailConfig.parse(file)
        XCTAssertEqual(config.settings(for: "assets").r2DevURL, "https://pub-0123456789abcdef0123456789abcdef.r2.dev")
        let u = try urls("https://acct.r2.cloudflarestorage.com", region: "auto",
                         settings: config.settings(for: "assets"))
        XCTAssertEqual(try u.anyCDNURL(bucket: "assets", key: "fonts/a b.woff2"),
                       "https://pub-0123456789abcdef0123456789abcdef.r2.dev/fonts/a%20b.woff2")
        let pub = u.publicURL(bucket: "assets", key: "x")
        XCTAssertTrue(pub.url.hasPrefix("https://pub-") && pub.source.contains("r2_dev_url"), pub.source)
        XCTAssertEqual(PublicURLProbe.origin(for: config.settings(for: "assets")),
                       "https://pub-0123456789abcdef0123456789abcdef.r2.dev")
        let both = try urls("https://acct.r2.cloudflarestorage.com", region: "auto",
                            settings: config.settings(for: "both"))
        XCTAssertEqual(both.cdnChoices(bucket: "both", key: "k").map(\.label), ["CDN", "r2.dev"])
        for bad in ["https://example.com", "http://pub-0123456789abcdef0123456789abcdef.r2.dev",
                    "https://pub-xyz.r2.dev", "https://pub-0123456789abcdef0123456789abcdef.r2.dev/path"] {
            let f = try AWSConfigFile(path: "/c", text: "[bucket b]\nr2_dev_url = \(bad)\n")
            XCTAssertThrowsError(try PailConfig.parse(f), bad) {
                XCTAssertTrue("\($0)".contains("/c:2") && "\($0)".contains("r2_dev_url"), "\($0)")
            }
        }
    }

    func testAnUnreachableCDNNamesTheCDNDomainNotTheEndpoint() throws {
        var settings = BucketSettings()
        settings.cdnDomain = "cdn.example.com"
        let pub = try urls("http://127.0.0.1:8333", settings: settings).publicURL(bucket: "site", key: "a.css")
        XCTAssertEqual(pub.url, "https://cdn.example.com/a.css")
        let cdn = PublicURLProbe.Unreachable(site: "https://cdn.example.com", source: pub.source,
                                             error: .cannotResolve("Could not resolve host"))
        XCTAssertTrue(cdn.description.contains("the CDN domain cdn.example.com (cdn_domain in [bucket site]"),
                      cdn.description)
        XCTAssertFalse(cdn.description.contains("--endpoint-url"), cdn.description)
        let unnamed = PublicURLProbe.Unreachable(site: "https://cdn.example.com", source: nil,
                                                 error: .cannotConnect("refused"))
        XCTAssertFalse(unnamed.description.contains("--endpoint-url"), unnamed.description)
        let endpoint = try urls("http://127.0.0.1:8333").publicURL(bucket: "site", key: "a.css")
        let onEndpoint = PublicURLProbe.Unreachable(site: "http://127.0.0.1:8333", source: endpoint.source,
                                                    error: .cannotConnect("refused"))
        XCTAssertTrue(onEndpoint.description.contains("check --endpoint-url"), onEndpoint.description)
    }

    func testCountsAgreeWithTheirNouns() {
        XCTAssertEqual(Plural.things(1, "object"), "1 object")
        XCTAssertEqual(Plural.things(3, "change"), "3 changes")
        XCTAssertEqual(Plural.things(0, "object"), "0 objects")
        XCTAssertEqual(Plural.things(2, "prefix"), "2 prefixes")
        XCTAssertEqual(Plural.things(1_200, "object"), "1,200 objects")
        XCTAssertEqual(Plural.things(1_234_567, "match"), "1,234,567 matches")
        XCTAssertEqual(Plural.things(2, "entry", plural: "entries"), "2 entries")
    }
}
