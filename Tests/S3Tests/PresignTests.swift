import Foundation
import XCTest
@testable import S3

/// The lifetime of a presigned URL is what was asked (S3 rule 18), checked on the URL signed
/// at a known moment rather than by waiting for it to die.
final class PresignTests: XCTestCase {
    let client: S3Client = {
        let config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:9000"),
                                         region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SK"))
        return S3Client(config: config)
    }()
    let moment = Date(timeIntervalSince1970: 1_795_543_200)  // 2026-11-24T18:00:00Z

    func query(_ url: String) -> [String: String] {
        let q = url.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            out[kv[0]] = kv.count > 1 ? kv[1].removingPercentEncoding : ""
        }
        return out
    }

    func testExpiresAndDateAreTheOnesAskedFor() throws {
        for seconds in [1, 90, 3600, 86_400, 604_800] {
            let q = query(try client.presignedURL(bucket: "b", key: "k.txt", expires: seconds, date: moment))
            XCTAssertEqual(q["X-Amz-Expires"], String(seconds))
            XCTAssertEqual(q["X-Amz-Date"], "20261124T180000Z")
            XCTAssertEqual(q["X-Amz-Credential"], "AKIDEXAMPLE/20261124/us-east-1/s3/aws4_request")
        }
    }

    func testTheLifetimeIsSigned() throws {
        let a = query(try client.presignedURL(bucket: "b", key: "k.txt", expires: 60, date: moment))
        let b = query(try client.presignedURL(bucket: "b", key: "k.txt", expires: 61, date: moment))
        let c = query(try client.presignedURL(bucket: "b", key: "k.txt", expires: 60,
                                              date: moment.addingTimeInterval(1)))
        XCTAssertNotEqual(a["X-Amz-Signature"], b["X-Amz-Signature"], "a longer life needs another signature")
        XCTAssertNotEqual(a["X-Amz-Signature"], c["X-Amz-Signature"])
    }

    func testLifetimesOutsideOneSecondToSevenDaysAreRefused() {
        for seconds in [0, -1, 604_801] {
            XCTAssertThrowsError(try client.presignedURL(bucket: "b", key: "k", expires: seconds, date: moment)) {
                XCTAssertTrue("\($0)".contains("7 days"), "\($0)")
            }
        }
    }
}
