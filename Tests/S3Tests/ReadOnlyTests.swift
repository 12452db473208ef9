import Foundation
import XCTest
@testable import S3

/// `--read-only` is enforced where every request passes (S3Client.perform): a write never
/// reaches the transport, whichever call asked for it.
final class ReadOnlyTests: XCTestCase {
    let empty = HTTPResponse(status: 200, body: Data())

    func client(_ transport: ScriptedTransport, policy: ReadOnlyPolicy) -> S3Client {
        var config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        config.readOnly = policy
        return S3Client(config: config, makeTransport: { transport }, sleep: { _ in })
    }

    func testEveryWritingMethodIsRefusedBeforeItIsSent() {
        let t = ScriptedTransport([])
        let c = client(t, policy: ReadOnlyPolicy(everywhere: "--read-only"))
        for method in ["PUT", "POST", "DELETE", "PATCH"] {
            XCTAssertThrowsError(try c.perform(S3Request(method: method, bucket: "b", key: "k"))) { error in
                XCTAssertEqual("\(error)", "read-only: pail would \(method) s3://b/k; run without --read-only to write")
            }
        }
        XCTAssertThrowsError(try c.deleteObject(bucket: "b", key: "a/b.txt"))
        XCTAssertThrowsError(try c.putObject(bucket: "b", key: "k", body: .data(Data("x".utf8))))
        XCTAssertThrowsError(try c.copyObject(bucket: "b", key: "k2", sourceBucket: "b", sourceKey: "k", headers: nil))
        XCTAssertTrue(t.requests.isEmpty, "nothing was sent: \(t.requests.map(\.method))")
    }

    func testAPresignedWriteIsRefusedButAPresignedReadIsNot() throws {
        let c = client(ScriptedTransport([]), policy: ReadOnlyPolicy(everywhere: "--read-only"))
        XCTAssertThrowsError(try c.presignedURL(bucket: "b", key: "k", method: "PUT", expires: 60))
        XCTAssertTrue(try c.presignedURL(bucket: "b", key: "k", expires: 60).contains("X-Amz-Signature="))
    }

    func testReadsStillGoOut() throws {
        let t = ScriptedTransport([.success(empty), .success(empty)])
        let c = client(t, policy: ReadOnlyPolicy(everywhere: "--read-only"))
        _ = try c.perform(S3Request(method: "GET", bucket: "b", key: "k"))
        _ = try c.perform(S3Request(method: "HEAD", bucket: "b", key: "k"))
        XCTAssertEqual(t.requests.map(\.method), ["GET", "HEAD"])
    }

    func testAReadOnlyBucketRefusesOnlyItsOwnWrites() throws {
        let reason = "read_only in [bucket prod] of /etc/pail"
        let t = ScriptedTransport([.success(empty)])
        let c = client(t, policy: ReadOnlyPolicy(buckets: ["prod": reason]))
        XCTAssertThrowsError(try c.perform(S3Request(method: "DELETE", bucket: "prod", key: "k"))) { error in
            XCTAssertEqual("\(error)", "read-only: pail would DELETE s3://prod/k; remove \(reason) to write")
        }
        XCTAssertThrowsError(try c.requireWritable("PUT", bucket: "prod"))
        XCTAssertNoThrow(try c.requireWritable("PUT", bucket: "staging"))
        _ = try c.perform(S3Request(method: "PUT", bucket: "staging", key: "k"))
        XCTAssertEqual(t.requests.map(\.method), ["PUT"])
    }

    func testTheOptionReachesTheResolvedConfiguration() throws {
        var options = GlobalOptions()
        options.endpointURL = "http://127.0.0.1:1"
        options.noSignRequest = true
        XCTAssertNil(try ClientConfiguration.resolve(options,
                                                     environment: ["HOME": "/nonexistent"]).readOnly.everywhere)
        options.readOnly = true
        let config = try ClientConfiguration.resolve(options, environment: ["HOME": "/nonexistent"])
        XCTAssertEqual(config.readOnly.everywhere, "--read-only")
    }

    func testARefusedListingSaysReadsByNameMayStillWork() {
        let t = ScriptedTransport([.success(HTTPResponse(status: 403, body: Data(
            "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".utf8)))])
        let c = client(t, policy: ReadOnlyPolicy())
        XCTAssertThrowsError(try c.listObjectsV2(bucket: "b", prefix: "logs/")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("access denied to listing s3://b/logs/ (AccessDenied)"), text)
            XCTAssertTrue(text.contains("try pail stat s3://b/KEY, or ask for s3:ListBucket"), text)
        }
    }

    func testAnEndpointWithoutSchemeSaysToAddOne() {
        XCTAssertThrowsError(try S3Endpoint(parsing: "127.0.0.1:9000")) { error in
            XCTAssertEqual("\(error)", "endpoint URL \"127.0.0.1:9000\" has no scheme: add http:// "
                           + "(--endpoint-url http://127.0.0.1:9000), or https:// for TLS")
        }
    }
}
