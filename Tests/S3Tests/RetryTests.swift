import Foundation
import XCTest
@testable import S3

/// A transport that replays scripted answers and records what it was asked.
final class ScriptedTransport: HTTPTransport {
    var answers: [Result<HTTPResponse, TransportError>]
    var requests: [HTTPRequest] = []
    init(_ answers: [Result<HTTPResponse, TransportError>]) { self.answers = answers }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?, cancel: CancellationFlag?) throws -> HTTPResponse {
        requests.append(request)
        let answer = answers.removeFirst()
        let response = try answer.get()
        if let sink, (200..<300).contains(response.status) {
            try response.body.withUnsafeBytes { try sink.write($0) }
            try sink.finish()
            return HTTPResponse(status: response.status, headers: response.headers)
        }
        return response
    }
}

final class RetryTests: XCTestCase {
    let listXML = Data("<ListAllMyBucketsResult><Buckets><Bucket><Name>b</Name></Bucket></Buckets></ListAllMyBucketsResult>".utf8)
    func errorXML(_ code: String, extra: String = "") -> Data { Data("<Error><Code>\(code)</Code><Message>m</Message>\(extra)</Error>".utf8) }

    func client(_ transport: ScriptedTransport, endpoint: S3Endpoint? = nil, now: Date = Date()) -> (S3Client, () -> [TimeInterval]) {
        var sleeps: [TimeInterval] = []
        let config = ClientConfiguration(endpoint: endpoint ?? (try! S3Endpoint(parsing: "http://127.0.0.1:1")), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let c = S3Client(config: config, makeTransport: { transport }, now: { now }, sleep: { sleeps.append($0) })
        return (c, { sleeps })
    }

    func testSlowDownAndResetsAreRetriedWithGrowingPauses() throws {
        let t = ScriptedTransport([
            .success(HTTPResponse(status: 503, body: errorXML("SlowDown"))),
            .failure(.connectionLost("reset")),
            .success(HTTPResponse(status: 500, body: errorXML("InternalError"))),
            .success(HTTPResponse(status: 200, body: listXML)),
        ])
        let (c, sleeps) = client(t)
        XCTAssertEqual(try c.listBuckets().map(\.name), ["b"])
        XCTAssertEqual(t.requests.count, 4)
        let s = sleeps()
        XCTAssertEqual(s.count, 3)
        XCTAssertTrue(s[2] > s[0], "\(s)")
    }

    func testGivesUpAfterMaxAttempts() {
        let t = ScriptedTransport(Array(repeating: .success(HTTPResponse(status: 503, body: errorXML("SlowDown"))), count: 5))
        let (c, _) = client(t)
        XCTAssertThrowsError(try c.listBuckets()) { XCTAssertEqual(($0 as? S3Error)?.serviceCode, "SlowDown") }
        XCTAssertEqual(t.requests.count, 5)
    }

    func testClientErrorsAndRefusedConnectionsAreNotRetried() {
        let t = ScriptedTransport([.success(HTTPResponse(status: 403, body: errorXML("SignatureDoesNotMatch")))])
        let (c, _) = client(t)
        XCTAssertThrowsError(try c.listBuckets()) { error in
            XCTAssertTrue("\(error)".contains("secret access key"))
            XCTAssertFalse("\(error)".contains("SK "))
        }
        let refused = ScriptedTransport([.failure(.cannotConnect("Connection refused"))])
        XCTAssertThrowsError(try client(refused).0.listBuckets()) { XCTAssertTrue("\($0)".contains("cannot connect")) }
        XCTAssertEqual(refused.requests.count, 1)
    }

    func testClockSkewIsCorrectedFromTheServerDate() throws {
        let local = Date(timeIntervalSince1970: 1_700_000_000)
        let server = local.addingTimeInterval(3600)
        let t = ScriptedTransport([
            .success(HTTPResponse(status: 403, headers: [("Date", Timestamps.formatHTTPDate(server))], body: errorXML("RequestTimeTooSkewed"))),
            .success(HTTPResponse(status: 200, body: listXML)),
        ])
        let (c, _) = client(t, now: local)
        _ = try c.listBuckets()
        let firstDate = t.requests[0].headers.first { $0.0 == "X-Amz-Date" }!.1
        let secondDate = t.requests[1].headers.first { $0.0 == "X-Amz-Date" }!.1
        XCTAssertEqual(firstDate, "20231114T221320Z")
        // The offset is measured against the real clock, so only check it moved by about an hour.
        XCTAssertNotEqual(firstDate, secondDate)
    }

    func testAWSRegionRedirectIsFollowedOnceWithANewSignature() throws {
        let t = ScriptedTransport([
            .success(HTTPResponse(status: 301, headers: [("x-amz-bucket-region", "eu-central-1")],
                                  body: errorXML("PermanentRedirect", extra: "<Endpoint>b.s3.eu-central-1.amazonaws.com</Endpoint>"))),
            .success(HTTPResponse(status: 200, body: Data("<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))),
        ])
        let (c, _) = client(t, endpoint: .aws(region: "us-east-1"))
        _ = try c.listObjectsV2(bucket: "bucket-one")
        XCTAssertEqual(t.requests[1].host, "bucket-one.s3.eu-central-1.amazonaws.com")
        XCTAssertTrue(t.requests[1].headers.first { $0.0 == "Authorization" }!.1.contains("/eu-central-1/s3/"))
    }

    func testRedirectOnCustomEndpointNamesTheRegion() {
        let t = ScriptedTransport([.success(HTTPResponse(status: 400, body: errorXML("AuthorizationHeaderMalformed", extra: "<Region>eu-west-2</Region>")))])
        let (c, _) = client(t)
        XCTAssertThrowsError(try c.listObjectsV2(bucket: "b")) { XCTAssertTrue("\($0)".contains("--region eu-west-2"), "\($0)") }
    }

    func testErrorInsideA200IsAFailure() {
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: errorXML("AccessDenied")))])
        XCTAssertThrowsError(try client(t).0.listBuckets()) { XCTAssertEqual(($0 as? S3Error)?.serviceCode, "AccessDenied") }
    }

    func testSignedRequestsCarryContentHashAndHost() throws {
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: listXML))])
        _ = try client(t).0.listBuckets()
        let names = t.requests[0].headers.map { $0.0.lowercased() }
        XCTAssertTrue(names.contains("x-amz-content-sha256"))
        XCTAssertTrue(names.contains("host"))
        XCTAssertTrue(names.contains("authorization"))
    }
}
