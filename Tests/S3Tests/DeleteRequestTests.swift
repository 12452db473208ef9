import Foundation
import XCTest
@testable import S3

/// The exact DeleteObjects request (S3 rule 7): servers that check Content-MD5 (AWS, MinIO)
/// refuse a batch without it or with a wrong one; a key not escaped breaks the XML or names
/// another object. SeaweedFS and moto check neither, so this is checked on the request itself.
final class DeleteRequestTests: XCTestCase {
    func client(_ transport: ScriptedTransport) -> S3Client {
        let config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        return S3Client(config: config, makeTransport: { transport }, sleep: { _ in })
    }

    func body(_ request: HTTPRequest) -> Data {
        guard case .data(let d) = request.body else { XCTFail("DeleteObjects sends its XML as data"); return Data() }
        return d
    }

    func header(_ request: HTTPRequest, _ name: String) -> String? {
        request.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    func testDigestIsMD5() {
        XCTAssertEqual(Digest.md5(Data("abc".utf8)).hex, "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(Digest.md5(Data()).base64, "1B2M2Y8AsgTpgAmY7PhCfg==")
    }

    func testContentMD5IsTheBase64MD5OfTheBodyAndKeysComeBackByteForByte() throws {
        let keys = ["a&b.txt", "<tag>.txt", "q\"'.txt", "amp;&amp;", "caf\u{E9}", "cafe\u{301}", "tab\there", "]]>x"]
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data("<DeleteResult/>".utf8)))])
        XCTAssertEqual(try client(t).deleteObjects(bucket: "b", keys: keys.map { ($0, nil) }).count, 0)
        XCTAssertEqual(t.requests.count, 1)
        let request = t.requests[0]
        XCTAssertEqual(request.method, "POST")
        XCTAssertTrue(request.query.contains { $0.0 == "delete" })
        let xml = body(request)
        XCTAssertEqual(header(request, "Content-MD5"), Data(Digest.md5(xml)).base64EncodedString())
        var sent: [String] = []
        try XMLDocumentReader.read(xml, what: "Delete") { path, text in
            if path == ["Delete", "Object", "Key"] { sent.append(text) }
        }
        XCTAssertEqual(sent.map { Array($0.utf8) }, keys.map { Array($0.utf8) }, "every key, escaped and whole")
        let raw = String(decoding: xml, as: UTF8.self)
        XCTAssertTrue(raw.contains("<Key>a&amp;b.txt</Key>") && raw.contains("<Key>&lt;tag&gt;.txt</Key>"), raw)
        XCTAssertTrue(raw.contains("<Quiet>true</Quiet>"))
    }

    func testVersionIdsAreEscapedToo() throws {
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data("<DeleteResult/>".utf8)))])
        _ = try client(t).deleteObjects(bucket: "b", keys: [("k", "v&1")])
        var versions: [String] = []
        try XMLDocumentReader.read(body(t.requests[0]), what: "Delete") { path, text in
            if path.last == "VersionId" { versions.append(text) }
        }
        XCTAssertEqual(versions, ["v&1"])
    }

    func testPerKeyErrorsInA200AreFailures() throws {
        let answer = "<DeleteResult><Error><Key>x&amp;y</Key><Code>AccessDenied</Code><Message>no</Message></Error>"
            + "</DeleteResult>"
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(answer.utf8)))])
        let failed = try client(t).deleteObjects(bucket: "b", keys: [("x&y", nil), ("z", nil)])
        XCTAssertEqual(failed.map(\.key), ["x&y"])
        XCTAssertEqual(failed.map(\.code), ["AccessDenied"])
    }
}
