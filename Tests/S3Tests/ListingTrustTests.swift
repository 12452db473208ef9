import Foundation
import XCTest
@testable import S3

/// Answers every request from `answer(n)` (n counts from 0) and gives up after `limit`
/// requests, so a client that would loop forever fails the test instead of hanging it.
final class EndlessTransport: HTTPTransport {
    let answer: (Int) -> HTTPResponse
    let limit: Int
    var requests: [HTTPRequest] = []
    init(limit: Int = 50, answer: @escaping (Int) -> HTTPResponse) {
        self.answer = answer
        self.limit = limit
    }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        requests.append(request)
        if requests.count > limit { throw TransportError.other("the client kept asking (\(requests.count) requests)") }
        return answer(requests.count - 1)
    }
}

/// A ListObjectsV2 page; `encoded` echoes `<EncodingType>url</EncodingType>` (keys are
/// then given already encoded).
func listXML(_ keys: [String], prefixes: [String] = [], next: String? = nil, encoded: Bool = false,
             size: String = "1") -> Data {
    var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>b</Name>"
    if encoded { x += "<EncodingType>url</EncodingType>" }
    x += "<IsTruncated>\(next != nil)</IsTruncated>"
    if let next { x += "<NextContinuationToken>\(next)</NextContinuationToken>" }
    for k in keys { x += "<Contents><Key>\(XMLText.escape(k))</Key><Size>\(size)</Size><ETag>\"e\"</ETag></Contents>" }
    for p in prefixes { x += "<CommonPrefixes><Prefix>\(XMLText.escape(p))</Prefix></CommonPrefixes>" }
    return Data((x + "</ListBucketResult>").utf8)
}

func ok(_ body: Data) -> HTTPResponse { HTTPResponse(status: 200, body: body) }

final class ListingTrustTests: XCTestCase {
    var warnings: [String] = []

    func client(_ transport: HTTPTransport, endpoint: S3Endpoint? = nil) -> S3Client {
        let config = ClientConfiguration(endpoint: endpoint ?? (try! S3Endpoint(parsing: "http://127.0.0.1:1")),
                                         region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let c = S3Client(config: config, makeTransport: { transport }, sleep: { _ in })
        c.warn = { [unowned self] in warnings.append($0) }
        return c
    }

    func listAll(_ c: S3Client, prefix: String, delimiter: String? = nil, startAfter: String? = nil)
        throws -> (keys: [String], prefixes: [String]) {
        var keys: [String] = []
        var prefixes: [String] = []
        try c.listAllPages(bucket: "b", prefix: prefix, delimiter: delimiter, startAfter: startAfter) { page in
            keys += page.objects.map(\.key)
            prefixes += page.commonPrefixes
            return true
        }
        return (keys, prefixes)
    }

    // MARK: Defect 1: entries outside the prefix

    func testKeysOutsideThePrefixAreDroppedWithOneWarningPerListing() throws {
        let t = ScriptedTransport([
            .success(ok(listXML(["media/2023/a.jpg", "media/2023-old/keep"], next: "t1"))),
            .success(ok(listXML(["media/2023/b.jpg", "etc/important"]))),
        ])
        let c = client(t)
        let listed = try listAll(c, prefix: "media/2023/")
        XCTAssertEqual(listed.keys, ["media/2023/a.jpg", "media/2023/b.jpg"])
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings[0].contains("2 entries outside the prefix (first \"media/2023-old/keep\")"), warnings[0])
        XCTAssertTrue(warnings[0].contains("s3://b/media/2023/") && warnings[0].contains("127.0.0.1:1"), warnings[0])
    }

    func testThePrefixIsComparedByBytesNotByCharacters() throws {
        // "café/" written with a combining accent is another prefix to S3.
        let t = ScriptedTransport([.success(ok(listXML(["caf\u{E9}/x", "cafe\u{301}/y"])))])
        let listed = try listAll(client(t), prefix: "caf\u{E9}/")
        XCTAssertEqual(listed.keys.map { Array($0.utf8) }, [Array("caf\u{E9}/x".utf8)])
        XCTAssertEqual(warnings.count, 1)
    }

    func testAOneLevelListingHoldsOnlyDirectKeysAndOneLevelPrefixes() throws {
        let page = listXML(["a/x", "a/b/c"], prefixes: ["a/b/", "a/b/c/", "a/c", "b/", "a//"])
        let t = ScriptedTransport([.success(ok(page))])
        let listed = try listAll(client(t), prefix: "a/", delimiter: "/")
        XCTAssertEqual(listed.keys, ["a/x"])
        XCTAssertEqual(listed.prefixes, ["a/b/", "a//"])
        XCTAssertEqual(warnings.count, 1)
        let w = warnings[0]
        XCTAssertTrue(w.contains("1 key below a sub-prefix in a one-level listing (first \"a/b/c\")"), w)
        XCTAssertTrue(w.contains("2 common prefixes not one level below it (first \"a/b/c/\")"), w)
        XCTAssertTrue(w.contains("1 entry outside the prefix (first \"b/\")"), w)
    }

    func testASinglePageCallIsCheckedToo() throws {
        let t = ScriptedTransport([.success(ok(listXML(["in/a", "out/b"])))])
        let page = try client(t).listObjectsV2(bucket: "b", prefix: "in/")
        XCTAssertEqual(page.objects.map(\.key), ["in/a"])
        XCTAssertEqual(warnings.count, 1)
    }

    func testACorrectListingWarnsAboutNothing() throws {
        let t = ScriptedTransport([.success(ok(listXML(["p/a", "p/b/c"], next: "t"))), .success(ok(listXML(["p/c"])))])
        XCTAssertEqual(try listAll(client(t), prefix: "p/").keys, ["p/a", "p/b/c", "p/c"])
        XCTAssertEqual(warnings, [])
    }

    // MARK: Defect 4: listings that would never end

    func testARepeatedContinuationTokenStopsTheListing() {
        let t = EndlessTransport { n in ok(listXML(["p/k\(n)"], next: "same")) }
        XCTAssertThrowsError(try listAll(client(t), prefix: "p/")) { error in
            XCTAssertEqual("\(error)", "the server at 127.0.0.1:1 repeated a continuation token while listing "
                                       + "s3://b/p/ (it would never end); stopping")
        }
        XCTAssertEqual(t.requests.count, 2)
    }

    func testACycleOfTokensStopsTheListing() {
        let t = EndlessTransport { n in ok(listXML(["p/k\(n)"], next: n % 2 == 0 ? "t1" : "t2")) }
        XCTAssertThrowsError(try listAll(client(t), prefix: "p/")) {
            XCTAssertTrue("\($0)".contains("repeated a continuation token"), "\($0)")
        }
        XCTAssertEqual(t.requests.count, 3)
    }

    func testFreshTokensOverTheSamePageStopTheListing() {
        let t = EndlessTransport { n in ok(listXML(["p/a", "p/b"], next: "t\(n)")) }
        XCTAssertThrowsError(try listAll(client(t), prefix: "p/")) { error in
            XCTAssertEqual("\(error)", "the server at 127.0.0.1:1 sent a listing page for s3://b/p/ that does not "
                                       + "move past the previous page (it would never end); stopping")
        }
        XCTAssertEqual(t.requests.count, 2)
    }

    func testPagesThatGoBackStopTheListing() {
        let pages = [["p/m"], ["p/z"], ["p/m"]]
        let t = EndlessTransport { n in ok(listXML(pages[n % 3], next: "t\(n)")) }
        XCTAssertThrowsError(try listAll(client(t), prefix: "p/")) {
            XCTAssertTrue("\($0)".contains("does not move past"), "\($0)")
        }
        XCTAssertEqual(t.requests.count, 3)
    }

    func testAnEmptyTruncatedPageStopsTheListing() {
        let t = EndlessTransport { n in ok(listXML([], next: "t\(n)")) }
        XCTAssertThrowsError(try listAll(client(t), prefix: "p/")) { error in
            XCTAssertEqual("\(error)", "the server at 127.0.0.1:1 sent an empty listing page for s3://b/p/ that says "
                                       + "more follow (it would never end); stopping")
        }
        XCTAssertEqual(t.requests.count, 1)
    }

    func testAFirstPageBeforeStartAfterStopsTheListing() {
        let t = EndlessTransport { n in ok(listXML(["p/a"], next: "t\(n)")) }
        XCTAssertThrowsError(try listAll(client(t), prefix: "p/", startAfter: "p/m")) {
            XCTAssertTrue("\($0)".contains("does not move past"), "\($0)")
        }
    }

    func testADirectoryWalkOrderIsNotMistakenForALoop() throws {
        // SeaweedFS lists "p/a/x" before "p/a-b" (a directory walk); S3 the other way round.
        let seaweed = [["p/a"], ["p/a/x"], ["p/a/y"], ["p/a-b"], ["p/a-c"], ["p/a0"], ["p/b"]]
        let t = EndlessTransport { n in ok(listXML(seaweed[n], next: n + 1 < seaweed.count ? "t\(n)" : nil)) }
        XCTAssertEqual(try listAll(client(t), prefix: "p/").keys, seaweed.flatMap { $0 })
        let delimited = EndlessTransport { n in
            n == 0 ? ok(listXML(["p/a"], prefixes: ["p/a/"], next: "t0")) : ok(listXML(["p/a-b", "p/b"]))
        }
        XCTAssertEqual(try listAll(client(delimited), prefix: "p/", delimiter: "/").keys, ["p/a", "p/a-b", "p/b"])
        XCTAssertEqual(warnings, [])
    }

    // MARK: Defect 13: keys that do not decode

    func testKeysThatDoNotDecodeExactlyAreDroppedNotMadeIntoOtherKeys() throws {
        let t = ScriptedTransport([.success(ok(listXML(["m/%FF%FE", "m/ok%20x", "m/100%", "m/%4"], encoded: true)))])
        let listed = try listAll(client(t), prefix: "m/")
        XCTAssertEqual(listed.keys, ["m/ok x"])
        XCTAssertFalse(listed.keys.contains { $0.contains("\u{FFFD}") })
        XCTAssertEqual(warnings.count, 1)
        let expected = "3 keys that do not URL-decode to exact UTF-8 (first \"m/%FF%FE\")"
        XCTAssertTrue(warnings[0].contains(expected), warnings[0])
    }

    func testExactDecoding() {
        XCTAssertEqual(URIEncoding.decodeExactly("a%20b+c%2B", plusIsSpace: true), "a b c+")
        XCTAssertEqual(URIEncoding.decodeExactly("caf%C3%A9"), "caf\u{E9}")
        XCTAssertEqual(URIEncoding.decodeExactly("plain"), "plain")
        XCTAssertNil(URIEncoding.decodeExactly("%FF%FE"))
        XCTAssertNil(URIEncoding.decodeExactly("%C3"), "a cut multi-byte sequence")
        XCTAssertNil(URIEncoding.decodeExactly("%ED%A0%80"), "an encoded UTF-16 surrogate")
        XCTAssertNil(URIEncoding.decodeExactly("100%"))
        XCTAssertNil(URIEncoding.decodeExactly("%zz"))
    }

    // MARK: Defect 5: sizes

    func testListedSizesOutsideS3sRangeAreErrors() throws {
        for size in ["-1", "5497558138881", "4611686018427387904", "99999999999999999999", "big"] {
            XCTAssertThrowsError(try ListObjectsV2Parser.parse(listXML(["a"], size: size)), size) { error in
                guard case S3Error.invalidResponse(let m) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(m.contains("is not a number from 0 to 5 TiB"), m)
            }
        }
        XCTAssertEqual(try ListObjectsV2Parser.parse(listXML(["a"], size: "5497558138880")).objects[0].size, 5 << 40)
    }

    func testHeadSizesOutsideS3sRangeAreErrors() throws {
        for length: String? in ["4611686018427387904", "-5", "1125899906842624000", "x", nil] {
            var headers = [("ETag", "\"e\"")]
            if let length { headers.append(("Content-Length", length)) }
            let t = ScriptedTransport([.success(HTTPResponse(status: 200, headers: headers))])
            XCTAssertThrowsError(try client(t).headObject(bucket: "b", key: "k"), length ?? "none") { error in
                XCTAssertTrue("\(error)".contains("not a size from 0 to 5 TiB"), "\(error)")
                XCTAssertTrue("\(error)".contains("s3://b/k"), "\(error)")
            }
        }
        let fine = ScriptedTransport([.success(HTTPResponse(status: 200, headers: [("Content-Length", "1048576")]))])
        XCTAssertEqual(try client(fine).headObject(bucket: "b", key: "k").size, 1 << 20)
        let get = ScriptedTransport([.success(HTTPResponse(status: 200, headers: [("Content-Length", "-1")]))])
        XCTAssertThrowsError(try client(get).getObject(bucket: "b", key: "k", sink: DataSink()))
    }

    // MARK: Version listings

    func versionsXML(_ entries: [(String, String)], next: (String, String)? = nil, encoded: Bool = false,
                     keyMarker: String? = nil, size: String = "1") -> Data {
        var x = "<ListVersionsResult><Name>b</Name><Prefix>p%2F</Prefix>"
        if encoded { x += "<EncodingType>url</EncodingType>" }
        if let keyMarker { x += "<KeyMarker>\(keyMarker)</KeyMarker>" }
        x += "<IsTruncated>\(next != nil)</IsTruncated>"
        if let next {
            x += "<NextKeyMarker>\(next.0)</NextKeyMarker><NextVersionIdMarker>\(next.1)</NextVersionIdMarker>"
        }
        for (k, v) in entries {
            x += "<Version><Key>\(XMLText.escape(k))</Key><VersionId>\(v)</VersionId><IsLatest>false</IsLatest>"
                + "<Size>\(size)</Size></Version>"
        }
        return Data((x + "</ListVersionsResult>").utf8)
    }

    func testVersionListingKeysAndMarkersAreURLDecodedWhenEchoed() throws {
        let xml = versionsXML([("p/a%20b+c%2B", "v1"), ("p/caf%C3%A9", "v2")], next: ("p/caf%C3%A9", "v2"),
                              encoded: true, keyMarker: "p/a%20b")
        let page = try ListVersionsParser.parse(xml)
        XCTAssertEqual(page.versions.map(\.key), ["p/a b c+", "p/caf\u{E9}"])
        XCTAssertEqual(page.nextKeyMarker, "p/caf\u{E9}")
        XCTAssertEqual(page.keyMarker, "p/a b")
        XCTAssertEqual(page.prefix, "p/")
        let plain = try ListVersionsParser.parse(versionsXML([("p/a%20b", "v1")]))
        XCTAssertEqual(plain.versions.map(\.key), ["p/a%20b"], "not decoded when the server does not say it encoded")
        XCTAssertThrowsError(try ListVersionsParser.parse(versionsXML([("p/a", "v1")], size: "-3")))
    }

    func testVersionListingsAreCheckedLikeObjectListings() throws {
        let t = ScriptedTransport([
            .success(ok(versionsXML([("p/a", "v2"), ("p/a", "v1")], next: ("p/a", "v1"), encoded: true))),
            .success(ok(versionsXML([("p/a", "v0"), ("q/x", "v9"), ("p/%FF", "v8")], encoded: true))),
        ])
        let versions = try client(t).listObjectVersions(bucket: "b", prefix: "p/")
        XCTAssertEqual(versions.map(\.versionId), ["v2", "v1", "v0"], "one key's versions may span pages")
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("1 entry outside the prefix (first \"q/x\")"), warnings[0])
        let undecodable = "1 key that does not URL-decode to exact UTF-8 (first \"p/%FF\")"
        XCTAssertTrue(warnings[0].contains(undecodable), warnings[0])
    }

    func testVersionListingsThatWouldNeverEndAreStopped() {
        let same = EndlessTransport { _ in ok(self.versionsXML([("p/a", "v1")], next: ("p/a", "v1"))) }
        XCTAssertThrowsError(try client(same).listObjectVersions(bucket: "b", prefix: "p/")) { error in
            XCTAssertTrue("\(error)".contains("(it would never end); stopping"), "\(error)")
        }
        XCTAssertEqual(same.requests.count, 2)
        let fresh = EndlessTransport { n in ok(self.versionsXML([("p/a", "v1")], next: ("p/a", "m\(n)"))) }
        XCTAssertThrowsError(try client(fresh).listObjectVersions(bucket: "b", prefix: "p/")) { error in
            XCTAssertTrue("\(error)".contains("version-listing page for s3://b/p/ that does not move past"), "\(error)")
        }
        let empty = EndlessTransport { n in ok(self.versionsXML([], next: ("p/a", "m\(n)"))) }
        XCTAssertThrowsError(try client(empty).listObjectVersions(bucket: "b", prefix: "p/")) { error in
            XCTAssertTrue("\(error)".contains("empty version-listing page"), "\(error)")
        }
        XCTAssertEqual(empty.requests.count, 1)
    }
}
