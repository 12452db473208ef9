import Foundation
import XCTest
@testable import S3

/// The exact bucket-configuration requests: AWS refuses a CORS, lifecycle or tagging PUT
/// without Content-MD5, which SeaweedFS and moto do not check, so it is checked here.
final class BucketRequestTests: XCTestCase {
    func client(_ transport: ScriptedTransport) -> S3Client {
        let config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        return S3Client(config: config, makeTransport: { transport }, sleep: { _ in })
    }

    func header(_ request: HTTPRequest, _ name: String) -> String? {
        request.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    func testCORSLifecycleAndTagPutsCarryTheBodysContentMD5() throws {
        for section in [BucketSection.cors, .lifecycle, .tags] {
            let t = ScriptedTransport([.success(HTTPResponse(status: 200))])
            let body = Data("<x/>".utf8)
            try client(t).putBucketConfiguration(bucket: "b", section: section, body: body)
            let request = t.requests[0]
            XCTAssertEqual(request.method, "PUT")
            XCTAssertTrue(request.query.contains { $0.0 == section.query }, "\(section)")
            XCTAssertEqual(header(request, "Content-MD5"), Digest.md5(body).base64, "\(section)")
        }
    }

    func testNotSetCodesAndNotImplementedAreAnswersNotErrors() throws {
        let notSet = "<Error><Code>NoSuchCORSConfiguration</Code><Message>none</Message></Error>"
        let t = ScriptedTransport([.success(HTTPResponse(status: 404, body: Data(notSet.utf8)))])
        XCTAssertEqual(try client(t).getBucketConfiguration(bucket: "b", section: .cors),
                       .notSet("NoSuchCORSConfiguration"))
        let ni = "<Error><Code>NotImplemented</Code><Message>no</Message></Error>"
        let t2 = ScriptedTransport([.success(HTTPResponse(status: 501, body: Data(ni.utf8)))])
        XCTAssertEqual(try client(t2).getBucketConfiguration(bucket: "b", section: .publicAccessBlock),
                       .unsupported("NotImplemented"))
        // Another section's "not set" code is a failure here, not "not set".
        let t3 = ScriptedTransport([.success(HTTPResponse(status: 404, body: Data(notSet.utf8)))])
        XCTAssertThrowsError(try client(t3).getBucketConfiguration(bucket: "b", section: .policy))
    }
}
