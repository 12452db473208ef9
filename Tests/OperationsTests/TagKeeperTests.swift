import Foundation
import S3
import XCTest
@testable import Operations

/// A tiny in-memory S3 that answers what a header edit asks (HEAD, GET/PUT ?tagging, the
/// self-copy, ACL and ownership look-ups) and drops tags on a REPLACE copy when told to, as
/// Ceph RGW does. It counts the tagging requests, so the tests see what learning saves.
final class TagServer: HTTPTransport, @unchecked Sendable {
    let dropsTags: Bool
    let lock = NSLock()
    var tags: [String: [(String, String)]] = [:]
    var tagGets = 0
    var tagPuts = 0

    init(dropsTags: Bool, objects: [String: [(String, String)]]) {
        self.dropsTags = dropsTags
        tags = objects
    }

    func error(_ status: Int, _ code: String) -> HTTPResponse {
        HTTPResponse(status: status, body: Data("<Error><Code>\(code)</Code><Message>m</Message></Error>".utf8))
    }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        lock.lock()
        defer { lock.unlock() }
        let parts = request.path.split(separator: "/", maxSplits: 1).map(String.init)
        let key = parts.count > 1 ? parts[1] : ""
        let query = Set(request.query.map(\.0))
        let header = { (name: String) in request.headers.first { $0.0.lowercased() == name }?.1 }
        switch (request.method, query) {
        case ("GET", ["ownershipControls"]):
            // RGW's answer: a bucket listing, which must mean "no ownership controls".
            let listing = "<ListBucketResult><Name>b</Name><Contents><Key>Rule</Key></Contents></ListBucketResult>"
            return HTTPResponse(status: 200, body: Data(listing.utf8))
        case ("GET", ["acl"]):
            return error(501, "NotImplemented")
        case ("HEAD", []):
            let count = tags[key]?.count ?? 0
            return HTTPResponse(status: 200, headers: [("Content-Length", "3"), ("ETag", "\"e\""),
                                                       ("x-amz-tagging-count", String(count))])
        case ("GET", ["tagging"]) where key.hasPrefix("denied"):
            return error(403, "AccessDenied")
        case ("GET", ["tagging"]):
            tagGets += 1
            let set = (tags[key] ?? []).map { "<Tag><Key>\($0.0)</Key><Value>\($0.1)</Value></Tag>" }.joined()
            // RGW answers an object never tagged with an empty body.
            let document = set.isEmpty ? Data() : Data("<Tagging><TagSet>\(set)</TagSet></Tagging>".utf8)
            return HTTPResponse(status: 200, body: document)
        case ("PUT", ["tagging"]):
            tagPuts += 1
            guard case .data(let body) = request.body, let xml = String(data: body, encoding: .utf8) else { break }
            let pairs = xml.components(separatedBy: "<Tag><Key>").dropFirst().map { tag -> (String, String) in
                let k = tag.components(separatedBy: "</Key>")[0]
                let v = tag.components(separatedBy: "<Value>")[1].components(separatedBy: "</Value>")[0]
                return (k, v)
            }
            tags[key] = pairs
            return HTTPResponse(status: 200)
        case ("PUT", []) where header("x-amz-copy-source") != nil:
            if dropsTags && header("x-amz-metadata-directive") == "REPLACE" { tags[key] = [] }
            return HTTPResponse(status: 200, body: Data("<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>".utf8))
        default:
            break
        }
        return error(400, "Unexpected")
    }
}

final class TagKeeperTests: XCTestCase {
    override func setUp() {
        TagKeeper.forgetAll()
    }

    func client(_ server: TagServer, port: Int = 1) -> S3Client {
        let endpoint = try! S3Endpoint(parsing: "http://127.0.0.1:\(port)")
        let config = ClientConfiguration(endpoint: endpoint, region: "us-east-1", addressing: .path,
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        return S3Client(config: config, makeTransport: { server }, sleep: { _ in })
    }

    func edit(_ server: TagServer, keys: [String], port: Int = 1) throws -> EditSummary {
        let editor = HeaderEditor(client: client(server, port: port), parallelism: 1)
        var changes = HeaderChanges()
        changes.setFields[.cacheControl] = "max-age=60"
        let items = try editor.plan(bucket: "b", keys: keys, changes: changes)
        return editor.apply(bucket: "b", items: items)
    }

    func testAServerThatDropsTagsGetsThemBackOnEveryObjectAndTheSummarySaysSo() throws {
        let server = TagServer(dropsTags: true,
                               objects: ["a": [("team", "web")], "b": [("k", "v"), ("x", "y")], "c": []])
        let summary = try edit(server, keys: ["a", "b", "c"])
        XCTAssertEqual(summary.failed.map(\.reason), [])
        XCTAssertEqual(server.tags["a"]!.map { "\($0.0)=\($0.1)" }, ["team=web"])
        XCTAssertEqual(server.tags["b"]!.map { "\($0.0)=\($0.1)" }, ["k=v", "x=y"])
        XCTAssertEqual(summary.tagsRestored, ["a", "b"])
        XCTAssertEqual(summary.line,
                       "changed 3, skipped 0, failed 0; tags put back on 2 (the server dropped them in the copy)")
        // Learning: a GET before and after the first tagged copy; then GET before and PUT only.
        XCTAssertEqual(server.tagGets, 3)
        XCTAssertEqual(server.tagPuts, 2)
        XCTAssertEqual(TagKeeper(client: client(server)).habit(.replace), .drops)
    }

    func testAServerThatKeepsTagsCostsNoRequestOnceLearned() throws {
        let server = TagServer(dropsTags: false,
                               objects: ["a": [("team", "web")], "b": [("k", "v")], "c": [("k", "v")]])
        let summary = try edit(server, keys: ["a", "b", "c"])
        XCTAssertEqual(summary.tagsRestored, [])
        XCTAssertEqual(summary.line, "changed 3, skipped 0, failed 0")
        XCTAssertEqual(server.tagGets, 2, "only the first tagged object is checked")
        XCTAssertEqual(server.tagPuts, 0)
        // Process-wide: another edit in the same process asks nothing.
        _ = try edit(server, keys: ["a", "b"])
        XCTAssertEqual(server.tagGets, 2)
        // Per endpoint: another server is learned anew.
        XCTAssertNil(TagKeeper(client: client(server, port: 2)).habit(.replace))
    }

    func testObjectsWithoutTagsCostNothing() throws {
        let server = TagServer(dropsTags: true, objects: ["a": [], "b": []])
        let summary = try edit(server, keys: ["a", "b"])
        XCTAssertEqual(summary.changed, ["a", "b"])
        XCTAssertEqual(server.tagGets + server.tagPuts, 0)
        XCTAssertNil(TagKeeper(client: client(server)).habit(.replace))
    }

    func testTagsThatCannotBeReadStopTheObjectsCopy() throws {
        let server = TagServer(dropsTags: true, objects: ["denied.txt": [("k", "v")]])
        var copied = false
        let keeper = TagKeeper(client: client(server))
        XCTAssertThrowsError(try keeper.copy(from: ("b", "denied.txt"), to: ("b", "denied.txt"), tagCount: 1,
                                             kind: .replace) { copied = true }) {
            XCTAssertTrue("\($0)".hasPrefix("cannot read the tags of denied.txt, so the copy could lose them"), "\($0)")
        }
        XCTAssertFalse(copied)
    }

    func testTagSetsCompareAsSetsOfBytes() {
        XCTAssertTrue(TagKeeper.sameTags([("a", "1"), ("b", "2")], [("b", "2"), ("a", "1")]))
        XCTAssertFalse(TagKeeper.sameTags([("\u{e9}", "1")], [("e\u{301}", "1")]))
        XCTAssertFalse(TagKeeper.sameTags([("a", "1")], []))
    }
}
