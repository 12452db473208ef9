import Foundation
import XCTest
@testable import S3

final class CloudFrontClientTests: XCTestCase {
    let date = Date(timeIntervalSince1970: 1_700_000_000)

    func client(_ transport: ScriptedTransport) throws -> CloudFrontClient {
        let config = ClientConfiguration(
            endpoint: try S3Endpoint(parsing: "http://127.0.0.1:1"), region: "eu-west-1",
            credentials: Credentials(accessKeyId: "AKCF", secretAccessKey: "SK"))
        return CloudFrontClient(
            s3: S3Client(config: config), endpoint: try S3Endpoint(parsing: "http://127.0.0.1:7777"),
            transport: transport, pause: { _ in })
    }

    func invalidationXML(id: String = "I2J0I21PCUYOIK", status: String = "InProgress") -> Data {
        Data(
            """
            <?xml version="1.0"?>
            <Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">\
            <Id>\(id)</Id><Status>\(status)</Status>
            <CreateTime>2023-11-14T22:13:20Z</CreateTime><InvalidationBatch><Paths><Quantity>1</Quantity>
            <Items><Path>/a</Path></Items></Paths><CallerReference>r</CallerReference>\
            </InvalidationBatch></Invalidation>
            """.utf8)
    }

    func testCreateInvalidationIsSignedForCloudFrontInUsEast1WithTheBatchAsXML() throws {
        let t = ScriptedTransport([.success(HTTPResponse(status: 201, body: invalidationXML()))])
        let inv = try client(t).createInvalidation(
            distribution: "E2QWRUHAPOMQZL", paths: ["/a&b.css", "/img/*"],
            callerReference: "pail-1")
        XCTAssertEqual(inv, CloudFrontInvalidation(id: "I2J0I21PCUYOIK", status: "InProgress"))
        let sent = try XCTUnwrap(t.requests.first)
        XCTAssertEqual(sent.method, "POST")
        XCTAssertEqual(sent.url, "http://127.0.0.1:7777/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation")
        let auth = try XCTUnwrap(sent.headers.first { $0.0 == "Authorization" }?.1)
        // Not the S3 client's region: CloudFront signs in us-east-1, for service cloudfront.
        XCTAssertTrue(auth.contains("Credential=AKCF/") && auth.contains("/us-east-1/cloudfront/aws4_request"), auth)
        guard case .data(let body) = sent.body else { return XCTFail("no body") }
        let xml = String(decoding: body, as: UTF8.self)
        XCTAssertTrue(
            xml.contains(
                "<Paths><Quantity>2</Quantity><Items><Path>/a&amp;b.css</Path><Path>/img/*</Path></Items></Paths>"
                    + "<CallerReference>pail-1</CallerReference>"), xml)
        XCTAssertTrue(
            xml.contains("<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"), xml)
    }

    func testACarriageReturnInAPathIsSentAsAReferenceAndReadBackAsSent() throws {
        // Raw, XML's line-end normalisation would read "/a\rb" as "/a\nb": another path.
        let xml = CloudFrontClient.invalidationBatchXML(paths: ["/a\rb", "/c\r\nd"], callerReference: "r\r")
        XCTAssertTrue(xml.contains("<Path>/a&#13;b</Path><Path>/c&#13;\nd</Path>"), xml)
        XCTAssertTrue(xml.contains("<CallerReference>r&#13;</CallerReference>"), xml)
        var read: [String] = []
        try XMLDocumentReader.read(Data(xml.utf8), what: "InvalidationBatch", root: "InvalidationBatch") { path, text in
            if path.last == "Path" || path.last == "CallerReference" { read.append(text) }
        }
        XCTAssertEqual(read, ["/a\rb", "/c\r\nd", "r\r"])
    }

    func testAnswersThatAreNotTheDocumentAskedForAreRefused() throws {
        let hostile: [(Data, String)] = [
            (
                Data("<ListBucketResult><Id>I1</Id><Status>Completed</Status></ListBucketResult>".utf8),
                "expected Invalidation"
            ),
            (invalidationXML(id: "../../x"), "well-formed Id"),
            (invalidationXML(id: "I1 Ex"), "well-formed Id"),
            (invalidationXML(status: ""), "readable Status"),
            (Data("<html>hello</html>".utf8), "expected Invalidation"),
            (Data("<!DOCTYPE x [<!ENTITY a \"b\">]><Invalidation/>".utf8), "DOCTYPE"),
        ]
        for (body, expected) in hostile {
            let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: body))])
            XCTAssertThrowsError(try client(t).getInvalidation(distribution: "E1", id: "I2J0I21PCUYOIK")) { error in
                XCTAssertTrue(String(describing: error).contains(expected), "\(error)")
            }
        }
        // The answer is about another invalidation than the one asked for.
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: invalidationXML(id: "IOTHER")))])
        XCTAssertThrowsError(try client(t).getInvalidation(distribution: "E1", id: "I2J0I21PCUYOIK"))
    }

    func testIdsThatCouldMoveThePathAreRefusedBeforeAnyRequest() throws {
        let t = ScriptedTransport([])
        for bad in ["", "e1", "E1/../..", "E1?x=1", "E 1"] {
            XCTAssertThrowsError(try client(t).getInvalidation(distribution: bad, id: "I1"))
            XCTAssertThrowsError(try client(t).getInvalidation(distribution: "E1", id: bad))
        }
        XCTAssertTrue(t.requests.isEmpty)
    }

    func testAnOversizedAnswerStopsTheRead() throws {
        // The sink's cap is what bounds memory: the scripted transport writes into it as curl would.
        let huge = Data(repeating: 0x20, count: (1 << 20) + 1)
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: huge))])
        XCTAssertThrowsError(try client(t).getInvalidation(distribution: "E1", id: "I1"))
    }

    func testErrorsAreOneLineAndThrottlingIsRetried() throws {
        let throttled = Data(
            ("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
             + "<Message>Rate exceeded</Message></Error></ErrorResponse>")
                .utf8)
        let missing = Data(
            ("<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchDistribution</Code>"
             + "<Message>The specified distribution does not exist.</Message></Error>"
             + "<RequestId>r</RequestId></ErrorResponse>")
                .utf8)
        let t = ScriptedTransport([
            .success(HTTPResponse(status: 400, body: throttled)),
            .success(HTTPResponse(status: 404, body: missing)),
        ])
        XCTAssertThrowsError(try client(t).getDistribution(id: "E1")) { error in
            XCTAssertEqual((error as? S3Error)?.serviceCode, "NoSuchDistribution")
            XCTAssertFalse(String(describing: error).contains("\n"))
        }
        XCTAssertEqual(t.requests.count, 2)
    }

    func testListDistributionsFollowsMarkersAndReadsOriginsAndAliases() throws {
        func page(_ id: String, next: String?) -> Data {
            Data(
                """
                <DistributionList><Marker></Marker>\(next.map { "<NextMarker>\($0)</NextMarker>" } ?? "")
                <MaxItems>100</MaxItems><IsTruncated>\(next == nil ? "false" : "true")</IsTruncated>\
                <Quantity>1</Quantity>
                <Items><DistributionSummary><Id>\(id)</Id><DomainName>D123.CloudFront.net</DomainName>
                <Aliases><Quantity>1</Quantity><Items><CNAME>cdn.example.com</CNAME></Items></Aliases>
                <Origins><Quantity>2</Quantity><Items>
                <Origin><Id>a</Id><DomainName>site.s3.amazonaws.com</DomainName>\
                <OriginPath>/static</OriginPath></Origin>
                <Origin><Id>b</Id><DomainName>api.example.com</DomainName><OriginPath></OriginPath></Origin>
                </Items></Origins></DistributionSummary></Items></DistributionList>
                """.utf8)
        }
        let t = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: page("E1", next: "m2"))),
            .success(HTTPResponse(status: 200, body: page("E2", next: nil))),
        ])
        let all = try client(t).listDistributions()
        XCTAssertEqual(all.map(\.id), ["E1", "E2"])
        XCTAssertEqual(all[0].domainName, "d123.cloudfront.net")
        XCTAssertEqual(all[0].aliases, ["cdn.example.com"])
        XCTAssertEqual(
            all[0].origins,
            [
                CloudFrontOrigin(domainName: "site.s3.amazonaws.com", originPath: "/static"),
                CloudFrontOrigin(domainName: "api.example.com", originPath: ""),
            ])
        XCTAssertEqual(t.requests[1].query.first { $0.0 == "Marker" }?.1, "m2")

        // A marker that comes back would page forever.
        let loop = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: page("E1", next: "m"))),
            .success(HTTPResponse(status: 200, body: page("E1", next: "m"))),
        ])
        XCTAssertThrowsError(try client(loop).listDistributions()) {
            XCTAssertTrue("\($0)".contains("repeated"), "\($0)")
        }
    }

    func testTheEndpointComesFromTheEnvironmentNotFromS3sEndpoint() throws {
        XCTAssertEqual(try CloudFrontClient.endpoint(environment: [:]).display, "https://cloudfront.amazonaws.com")
        XCTAssertEqual(
            try CloudFrontClient.endpoint(environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5"]).display,
            "http://127.0.0.1:5")
        XCTAssertEqual(
            try CloudFrontClient.endpoint(environment: [
                "AWS_ENDPOINT_URL": "http://127.0.0.1:5",
                "AWS_ENDPOINT_URL_CLOUDFRONT": "http://127.0.0.1:6",
            ]).display,
            "http://127.0.0.1:6")
    }
}
