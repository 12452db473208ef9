import Foundation
import XCTest
@testable import Operations
@testable import S3

final class CloudFrontInvalidationTests: XCTestCase {
    func path(_ target: InvalidationTarget, _ origin: String = "") throws -> String? {
        try Invalidation.path(for: target, originPath: origin)
    }

    func testKeysMapThroughTheOriginPathAndAreEncodedAsCloudFrontAsks() throws {
        XCTAssertEqual(try path(.key("static/css/app.css"), "/static"), "/css/app.css")
        XCTAssertEqual(try path(.key("static/css/app.css"), "static/"), "/css/app.css")
        XCTAssertNil(try path(.key("media/a.jpg"), "static/"), "not on the CDN")
        // Byte prefixes: "static-old/" is not under "static/", and NFD is not NFC.
        XCTAssertNil(try path(.key("static-old/a.css"), "static"))
        XCTAssertNil(try path(.key("cafe\u{301}/a.css"), "caf\u{E9}/"))
        XCTAssertEqual(try path(.key("a b~[1]?#%.css")), "/a%20b%7E%5B1%5D%3F%23%25.css")
        XCTAssertEqual(try path(.key("caf\u{E9}.css")), "/caf%C3%A9.css")
        XCTAssertEqual(try path(.key("x\u{1B}[2J\n.css")), "/x%1B%5B2J%0A.css")
        // Left as they are: encoding them would name another cache entry.
        XCTAssertEqual(try path(.key("a+b/c=d;e,f@g:h!$&'().css")), "/a+b/c=d;e,f@g:h!$&'().css")
        // A * cannot be sent inside a path: the key is covered by a wildcard ending there.
        XCTAssertEqual(try path(.key("img/a*b.png")), "/img/a*")
    }

    func testPrefixesAreOneWildcard() throws {
        XCTAssertEqual(try path(.prefix("static/img/"), "static/"), "/img/*")
        XCTAssertEqual(try path(.prefix("static/"), "static/"), "/*")
        XCTAssertEqual(try path(.prefix(""), "static/"), "/*", "the bucket holds all the CDN serves")
        XCTAssertNil(try path(.prefix("media/"), "static/"))
        XCTAssertEqual(try path(.prefix("a b/")), "/a%20b/*")
    }

    func testBatchesStayWithinCloudFrontsLimitsAndDropWhatAWildcardCovers() {
        let files = (0..<3001).map { "/f\($0)" }
        let wild = (0..<16).map { "/w\($0)/*" }
        let batches = Invalidation.batches(files + wild + ["/f1", "/w3/x.css", "/w3/sub/*"])
        XCTAssertTrue(
            batches.allSatisfy { b in
                b.filter { $0.hasSuffix("*") }.count <= 15 && b.filter { !$0.hasSuffix("*") }.count <= 3000
            })
        let all = batches.flatMap { $0 }
        XCTAssertEqual(all.count, 3001 + 16, "the repeat and the covered paths are gone")
        XCTAssertEqual(Set(all), Set(files + wild))
        XCTAssertEqual(Invalidation.batches(["/a.css", "/*", "/b/*"]), [["/*"]])
    }

    func testTheDistributionIsFoundByItsS3OriginOrByTheConfiguredDomain() {
        let ds = [
            CloudFrontDistribution(
                id: "EA", domainName: "da.cloudfront.net",
                origins: [CloudFrontOrigin(domainName: "site.s3.amazonaws.com", originPath: "/static")]),
            CloudFrontDistribution(
                id: "EB", domainName: "db.cloudfront.net", aliases: ["cdn.example.com"],
                origins: [CloudFrontOrigin(domainName: "app.example.com", originPath: "")]),
            CloudFrontDistribution(
                id: "EC", domainName: "dc.cloudfront.net",
                origins: [CloudFrontOrigin(domainName: "site2.s3.amazonaws.com", originPath: "")]),
        ]
        XCTAssertEqual(
            DistributionFinder.matches(bucket: "site", cdnDomain: nil, in: ds).map(\.distribution.id), ["EA"])
        XCTAssertEqual(
            DistributionFinder.matches(bucket: "site", cdnDomain: nil, in: ds).first?.origin?.originPath, "/static")
        XCTAssertEqual(
            DistributionFinder.matches(bucket: "other", cdnDomain: "https://CDN.example.com/", in: ds).map(
                \.distribution.id), ["EB"])
        XCTAssertEqual(DistributionFinder.matches(bucket: "nobody", cdnDomain: nil, in: ds), [])
        for host in [
            "site.s3.amazonaws.com", "site.s3.eu-west-1.amazonaws.com", "site.s3-eu-west-1.amazonaws.com",
            "site.s3-website-us-east-1.amazonaws.com", "site.s3-website.eu-central-1.amazonaws.com",
            "site.s3.dualstack.us-east-1.amazonaws.com", "site.s3.cn-north-1.amazonaws.com.cn",
        ] {
            XCTAssertTrue(DistributionFinder.isBucketOrigin(host, bucket: "site", endpointHosts: []), host)
        }
        for host in [
            "site.example.com", "site2.s3.amazonaws.com", "x.site.s3.amazonaws.com", "site.s3.evil.com",
            "site.s3.eu-west-1.amazonaws.com.evil.com", "site.ec2.amazonaws.com",
        ] {
            XCTAssertFalse(DistributionFinder.isBucketOrigin(host, bucket: "site", endpointHosts: []), host)
        }
        XCTAssertTrue(
            DistributionFinder.isBucketOrigin(
                "site.nyc3.digitaloceanspaces.com", bucket: "site",
                endpointHosts: ["nyc3.digitaloceanspaces.com"]))
    }

    func testPurgeCommandsAreSplitLikeAShellWouldButNeverRunByOne() throws {
        XCTAssertEqual(
            try PurgeCommand.split(#"/bin/purge --zone 'my site' "a \"b\"" c\ d"#),
            ["/bin/purge", "--zone", "my site", "a \"b\"", "c d"])
        XCTAssertEqual(try PurgeCommand.split("purge $(rm -rf x) ;ls"), ["purge", "$(rm", "-rf", "x)", ";ls"])
        XCTAssertThrowsError(try PurgeCommand.split("purge 'open"))
    }

    func testTheOriginSentIsTheSitesOrTheCDNs() {
        var s = BucketSettings()
        XCTAssertNil(PublicURLProbe.origin(for: s))
        s.cdnDomain = "CDN.example.com"
        XCTAssertEqual(PublicURLProbe.origin(for: s), "https://cdn.example.com")
        s.siteOrigin = "https://www.example.com"
        XCTAssertEqual(PublicURLProbe.origin(for: s), "https://www.example.com")
        XCTAssertEqual(PublicURLProbe.normalizedOrigin("https://WWW.example.com:8443/"), "https://www.example.com:8443")
        for bad in ["www.example.com", "https://x/y", "ftp://x", "https://x\r\nSet-Cookie: a"] {
            XCTAssertNil(PublicURLProbe.normalizedOrigin(bad), bad)
        }
    }

    func testCORSVerdicts() {
        func result(_ headers: [(String, String)], origin: String? = "https://www.example.com") -> PublicURLProbe.Result
        {
            PublicURLProbe.Result(
                url: "https://cdn.example.com/f.woff2", origin: origin,
                response: HTTPResponse(status: 200, headers: headers))
        }
        XCTAssertEqual(result([]).corsAllowed, false)
        XCTAssertEqual(result([("Access-Control-Allow-Origin", "*")]).corsAllowed, true)
        XCTAssertEqual(result([("access-control-allow-origin", "https://www.example.com")]).corsAllowed, true)
        XCTAssertEqual(result([("Access-Control-Allow-Origin", "https://other.example.com")]).corsAllowed, false)
        XCTAssertNil(result([], origin: nil).corsAllowed)
        XCTAssertTrue(result([("Access-Control-Allow-Origin", "https://www.example.com")]).missesVaryOrigin)
        XCTAssertFalse(
            result([("Access-Control-Allow-Origin", "https://www.example.com"), ("Vary", "Accept-Encoding, Origin")])
                .missesVaryOrigin)
        XCTAssertFalse(result([("Access-Control-Allow-Origin", "*")]).missesVaryOrigin)
        // A header value with an escape sequence reaches the report escaped.
        XCTAssertFalse(result([("Vary", "x\u{1B}[2J")]).lines.joined().contains("\u{1B}"))
    }
}

final class FontCORSRuleTests: XCTestCase {
    func testFontsServedWithoutCORSForTheSiteMatchAndOthersDoNot() throws {
        let rule = try AuditRule.parse("no-cors")
        XCTAssertEqual(rule, .fontWithoutCORS)
        func row(_ key: String, _ allow: String??) -> AuditRow {
            var r = AuditRow(key: key, size: 1, lastModified: nil)
            if let allow { r.cors = ("https://www.example.com", allow) }
            return r
        }
        XCTAssertTrue(rule.matches(row("f/a.woff2", .some(nil))))
        XCTAssertTrue(rule.matches(row("f/a.TTF", .some("https://other.example.com"))))
        XCTAssertFalse(rule.matches(row("f/a.woff", .some("*"))))
        XCTAssertFalse(rule.matches(row("f/a.otf", .some("https://WWW.example.com"))))
        XCTAssertFalse(rule.matches(row("f/a.css", .some(nil))), "not a font")
        XCTAssertFalse(rule.matches(row("f/a.woff2", nil)), "not checked: no verdict")
    }
}

/// Answers CloudFront calls from a script, recording the bodies of the POSTs.
final class ScriptedCloudFront: HTTPTransport, @unchecked Sendable {
    var answers: [HTTPResponse]
    var requests: [HTTPRequest] = []
    init(_ answers: [HTTPResponse]) { self.answers = answers }
    func send(
        _ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?, cancel: CancellationFlag?
    ) throws -> HTTPResponse {
        requests.append(request)
        let r = answers.removeFirst()
        if let sink, (200..<300).contains(r.status) {
            try r.body.withUnsafeBytes { try sink.write($0) }
            return HTTPResponse(status: r.status)
        }
        return r
    }
    var posts: [String] {
        requests.filter { $0.method == "POST" }.map { r in
            if case .data(let d) = r.body { return String(decoding: d, as: UTF8.self) }
            return ""
        }
    }
}

final class CloudFrontInvalidatorTests: XCTestCase {
    func inv(_ id: String, _ status: String) -> HTTPResponse {
        HTTPResponse(
            status: 200, body: Data("<Invalidation><Id>\(id)</Id><Status>\(status)</Status></Invalidation>".utf8))
    }
    let busy = HTTPResponse(
        status: 400,
        body: Data(
            ("<ErrorResponse><Error><Code>TooManyInvalidationsInProgress</Code><Message>m</Message></Error>"
             + "</ErrorResponse>").utf8))

    func invalidator(_ t: ScriptedCloudFront) throws -> (CloudFrontInvalidator, () -> [TimeInterval]) {
        let config = ClientConfiguration(
            endpoint: try S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
            credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let cf = CloudFrontClient(
            s3: S3Client(config: config), endpoint: try S3Endpoint(parsing: "http://127.0.0.1:2"),
            transport: t, pause: { _ in })
        let i = CloudFrontInvalidator(client: cf)
        var clock = Date(timeIntervalSince1970: 0)
        var pauses: [TimeInterval] = []
        i.now = { clock }
        i.pause = {
            pauses.append($0); clock += $0
        }
        return (i, { pauses })
    }

    func testBusyDistributionsAreWaitedForWithTheSameReferenceAndEachBatchWaitsForTheOneBefore() throws {
        let t = ScriptedCloudFront([
            busy, inv("I1", "InProgress"), inv("I1", "InProgress"), inv("I1", "Completed"),
            inv("I2", "InProgress"),
        ])
        let (i, pauses) = try invalidator(t)
        var n = 0
        i.makeReference = {
            n += 1; return "ref-\($0)-\(n)"
        }
        let paths = (0..<16).map { "/p\($0)/*" }
        let sent = try i.run(distribution: "E1", paths: paths, wait: false) { _ in }
        XCTAssertEqual(sent.map(\.invalidation.id), ["I1", "I2"])
        XCTAssertEqual(sent.map { $0.paths.count }, [15, 1])
        XCTAssertEqual(sent[0].invalidation.status, "Completed", "the first batch was waited for")
        XCTAssertEqual(sent[1].invalidation.status, "InProgress", "--no-wait: the last one is not")
        let posts = t.posts
        XCTAssertEqual(posts.count, 3)
        XCTAssertTrue(
            posts[0].contains("<CallerReference>ref-0-1</CallerReference>") && posts[1].contains("ref-0-1"),
            "a retry sends the same reference, so CloudFront never makes two")
        XCTAssertTrue(posts[2].contains("ref-1-2"))
        XCTAssertEqual(t.requests.filter { $0.method == "GET" }.count, 2)
        XCTAssertFalse(pauses().isEmpty)
    }

    func testWaitingIsBounded() throws {
        let t = ScriptedCloudFront([inv("I1", "InProgress")] + Array(repeating: inv("I1", "InProgress"), count: 400))
        let (i, _) = try invalidator(t)
        i.maxWait = 60
        XCTAssertThrowsError(try i.run(distribution: "E1", paths: ["/a"], wait: true) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("still InProgress"), "\(error)")
        }
    }
}
