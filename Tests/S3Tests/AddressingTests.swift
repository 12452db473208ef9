import XCTest
@testable import S3

final class AddressingTests: XCTestCase {
    func testAWSUsesVirtualHostsExceptForDottedBucketsOverHTTPS() {
        let aws = S3Endpoint.aws(region: "eu-west-1")
        XCTAssertEqual(aws.location(bucket: "media", key: "a b.jpg", style: .auto).host,
                       "media.s3.eu-west-1.amazonaws.com")
        XCTAssertEqual(aws.location(bucket: "media", key: "a b.jpg", style: .auto).path, "/a b.jpg")
        let dotted = aws.location(bucket: "www.example.com", key: "k", style: .auto)
        XCTAssertEqual(dotted.host, "s3.eu-west-1.amazonaws.com")
        XCTAssertEqual(dotted.path, "/www.example.com/k")
        XCTAssertEqual(aws.location(bucket: "media", key: "k", style: .path).path, "/media/k")
        XCTAssertEqual(aws.location(bucket: "media", key: "k", style: .auto, region: "us-west-2").host,
                       "media.s3.us-west-2.amazonaws.com")
    }

    func testCustomEndpointsUsePathStyleByDefault() throws {
        let minio = try S3Endpoint(parsing: "http://127.0.0.1:9000")
        let loc = minio.location(bucket: "media", key: "x/y", style: .auto, region: "eu-west-1")
        XCTAssertEqual(loc.host, "127.0.0.1")
        XCTAssertEqual(loc.path, "/media/x/y")
        XCTAssertEqual(minio.location(bucket: "media", key: "x", style: .virtual).host, "media.127.0.0.1")
        let spaces = try S3Endpoint(parsing: "https://nyc3.digitaloceanspaces.com")
        XCTAssertEqual(spaces.location(bucket: "site", key: "k", style: .auto).host, "site.nyc3.digitaloceanspaces.com")
        XCTAssertThrowsError(try S3Endpoint(parsing: "ftp://x"))
        XCTAssertThrowsError(try S3Endpoint(parsing: "not a url"))
    }

    func testURLsEncodeKeysOnce() {
        let r = HTTPRequest(method: "GET", scheme: "http", host: "h", port: 80, path: "/b/a b+c%d/é~",
                            query: [("prefix", "x/y z")])
        XCTAssertEqual(r.url, "http://h/b/a%20b%2Bc%25d/%C3%A9~?prefix=x%2Fy%20z")
        XCTAssertEqual(r.hostHeader, "h")
    }
}
