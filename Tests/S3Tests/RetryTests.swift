import Foundation
import XCTest
@testable import S3

/// A transport that replays scripted answers and records what it was asked.
final class ScriptedTransport: HTTPTransport {
    var answers: [Result<HTTPResponse, TransportError>]
    var requests: [HTTPRequest] = []
    init(_ answers: [Result<HTTPResponse, TransportError>]) { self.answers = answers }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
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
    let listXML = Data(("<ListAllMyBucketsResult><Buckets><Bucket><Name>b</Name></Bucket></Buckets>"
                        + "</ListAllMyBucketsResult>").utf8)
    func errorXML(_ code: String, extra: String = "") -> Data {
        Data("<Error><Code>\(code)</Code><Message>m</Message>\(extra)</Error>".utf8)
    }

    func client(_ transport: ScriptedTransport, endpoint: S3Endpoint? = nil,
                now: Date = Date()) -> (S3Client, () -> [TimeInterval]) {
        var sleeps: [TimeInterval] = []
        let config = ClientConfiguration(endpoint: endpoint ?? (try! S3Endpoint(parsing: "http://127.0.0.1:1")),
                                         region: "us-east-1",
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
        let t = ScriptedTransport(Array(repeating: .success(HTTPResponse(status: 503, body: errorXML("SlowDown"))),
                                        count: 5))
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
            .success(HTTPResponse(status: 403, headers: [("Date", Timestamps.formatHTTPDate(server))],
                                  body: errorXML("RequestTimeTooSkewed"))),
            .success(HTTPResponse(status: 200, body: listXML)),
        ])
        let (c, _) = client(t, now: local)
        _ = try c.listBuckets()
        let firstDate = t.requests[0].headers.first { $0.0 == "X-Amz-Date" }!.1
        let secondDate = t.requests[1].headers.first { $0.0 == "X-Amz-Date" }!.1
        XCTAssertEqual(firstDate, "20231114T221320Z")
        // The offset is measured with the injected clock: exactly the server's hour ahead.
        XCTAssertEqual(secondDate, "20231114T231320Z")
    }

    func testAWSRegionRedirectIsFollowedOnceWithANewSignature() throws {
        let t = ScriptedTransport([
            .success(HTTPResponse(status: 301, headers: [("x-amz-bucket-region", "eu-central-1")],
                                  body: errorXML("PermanentRedirect",
                                                 extra: "<Endpoint>b.s3.eu-central-1.amazonaws.com</Endpoint>"))),
            .success(HTTPResponse(status: 200,
                                  body: Data(("<ListBucketResult><Name>b</Name>"
                                              + "<IsTruncated>false</IsTruncated></ListBucketResult>").utf8))),
        ])
        let (c, _) = client(t, endpoint: .aws(region: "us-east-1"))
        _ = try c.listObjectsV2(bucket: "bucket-one")
        XCTAssertEqual(t.requests[1].host, "bucket-one.s3.eu-central-1.amazonaws.com")
        XCTAssertTrue(t.requests[1].headers.first { $0.0 == "Authorization" }!.1.contains("/eu-central-1/s3/"))
    }

    func testRedirectOnCustomEndpointNamesTheRegion() {
        let malformed = errorXML("AuthorizationHeaderMalformed", extra: "<Region>eu-west-2</Region>")
        let t = ScriptedTransport([.success(HTTPResponse(status: 400, body: malformed))])
        let (c, _) = client(t)
        XCTAssertThrowsError(try c.listObjectsV2(bucket: "b")) {
            XCTAssertTrue("\($0)".contains("--region eu-west-2"), "\($0)")
        }
    }

    func testErrorInsideA200IsAFailure() {
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: errorXML("AccessDenied")))])
        XCTAssertThrowsError(try client(t).0.listBuckets()) {
            XCTAssertEqual(($0 as? S3Error)?.serviceCode, "AccessDenied")
        }
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

/// A GET cut off part way: the first attempt delivers `firstPart` bytes of the range and
/// loses the connection; later ones deliver what they are asked for.
final class CutTransport: HTTPTransport {
    let body: [UInt8]
    let firstPart: Int
    var ranges: [String] = []
    init(body: [UInt8], firstPart: Int) {
        self.body = body
        self.firstPart = firstPart
    }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        let range = request.headers.first { $0.0 == "Range" }?.1 ?? ""
        ranges.append(range)
        let bounds = range.dropFirst("bytes=".count).split(separator: "-").map { Int($0)! }
        let slice = Array(body[bounds[0]...bounds[1]])
        if ranges.count == 1 {
            try slice[..<firstPart].withUnsafeBytes { try sink?.write($0) }
            progress?(Int64(firstPart), Int64(slice.count))
            throw TransportError.connectionLost("reset by peer")
        }
        try slice.withUnsafeBytes { try sink?.write($0) }
        progress?(Int64(slice.count), Int64(slice.count))
        try sink?.finish()
        return HTTPResponse(status: 206, headers: [("ETag", "\"e\"")])
    }
}

/// Keeps what it gets, as a file sink does.
final class ResumableCollector: ResumableSink {
    var bytes: [UInt8] = []
    var resets = 0
    var received: Int64 { Int64(bytes.count) }
    func write(_ b: UnsafeRawBufferPointer) throws { bytes += b }
    func reset() throws { bytes.removeAll(); resets += 1 }
}

final class ResumeTests: XCTestCase {
    func testACutRangeGoesOnFromTheByteItReached() throws {
        let body = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let t = CutTransport(body: body, firstPart: 150)
        let config = ClientConfiguration(endpoint: try S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let c = S3Client(config: config, makeTransport: { t }, sleep: { _ in })
        let sink = ResumableCollector()
        var seen: [Int64] = []
        _ = try c.getObject(bucket: "b", key: "k", range: 200...699, ifMatch: "e", sink: sink,
                            progress: { done, _ in seen.append(done) })
        XCTAssertEqual(t.ranges, ["bytes=200-699", "bytes=350-699"])
        XCTAssertEqual(sink.bytes, Array(body[200...699]))
        XCTAssertEqual(sink.resets, 0)
        XCTAssertEqual(seen, [150, 500], "progress counts from the range's start across attempts")
    }

    func testASinkThatCannotResumeStartsOver() throws {
        let body = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        let t = CutTransport(body: body, firstPart: 150)
        let config = ClientConfiguration(endpoint: try S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let c = S3Client(config: config, makeTransport: { t }, sleep: { _ in })
        let sink = DataSink()
        _ = try c.getObject(bucket: "b", key: "k", range: 0...499, sink: sink)
        XCTAssertEqual(t.ranges, ["bytes=0-499", "bytes=0-499"])
        XCTAssertEqual(Array(sink.data), Array(body[0...499]))
    }
}
