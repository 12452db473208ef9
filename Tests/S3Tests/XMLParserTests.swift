import Foundation
import XCTest
@testable import S3

final class XMLParserTests: XCTestCase {
    func page(_ body: String) -> Data { Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(body)".utf8) }

    func testListObjectsV2PageWithPrefixesAndTokens() throws {
        let xml = page("""
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>media/</Prefix>
        <KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
        <NextContinuationToken>tok+/=</NextContinuationToken>
        <Contents><Key>media/a.jpg</Key><LastModified>2024-02-03T04:05:06.789Z</LastModified>
        <ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>1234</Size>\
        <StorageClass>STANDARD_IA</StorageClass></Contents>
        <CommonPrefixes><Prefix>media/2023/</Prefix></CommonPrefixes>\
        <CommonPrefixes><Prefix>media/2024/</Prefix></CommonPrefixes>
        </ListBucketResult>
        """)
        let p = try ListObjectsV2Parser.parse(xml)
        XCTAssertEqual(p.bucket, "b")
        XCTAssertEqual(p.prefix, "media/")
        XCTAssertTrue(p.isTruncated)
        XCTAssertEqual(p.nextContinuationToken, "tok+/=")
        XCTAssertEqual(p.objects, [ObjectSummary(key: "media/a.jpg", size: 1234,
                                                 lastModified: Timestamps.parseISO8601("2024-02-03T04:05:06.789Z"),
                                                 etag: "0cc175b9c0f1b6a831c399e269772661",
                                                 storageClass: "STANDARD_IA")])
        XCTAssertEqual(p.commonPrefixes, ["media/2023/", "media/2024/"])
    }

    func testURLEncodedKeysDecodedOnlyWhenEchoed() throws {
        let body = """
        <ListBucketResult><Name>b</Name><Prefix>a%20b/</Prefix><IsTruncated>false</IsTruncated>
        <Contents><Key>a%20b/c+d%2Be%1B%0A</Key><Size>1</Size></Contents>%ENC%
        <CommonPrefixes><Prefix>a%20b/x+y/</Prefix></CommonPrefixes></ListBucketResult>
        """
        let echoed = try ListObjectsV2Parser.parse(page(body.replacingOccurrences(
            of: "%ENC%", with: "<EncodingType>url</EncodingType>")))
        XCTAssertEqual(echoed.objects[0].key, "a b/c d+e\u{1B}\n")
        XCTAssertEqual(echoed.commonPrefixes, ["a b/x y/"])
        XCTAssertEqual(echoed.prefix, "a b/")
        let ignored = try ListObjectsV2Parser.parse(page(body.replacingOccurrences(of: "%ENC%", with: "")))
        XCTAssertEqual(ignored.objects[0].key, "a%20b/c+d%2Be%1B%0A")
    }

    func testMalformedAndTruncatedXMLAreErrorsNotCrashes() {
        let bad = [
            "", "not xml at all", "<ListBucketResult><Name>b</Name>", "<ListBucketResult><Contents><Key>a</Contents>",
            "<Other/>", "<ListBucketResult><Contents><Key>a</Key><Size>big</Size></Contents></ListBucketResult>",
            "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
        ]
        for body in bad {
            XCTAssertThrowsError(try ListObjectsV2Parser.parse(Data(body.utf8)), body) { error in
                guard case S3Error.invalidResponse = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertThrowsError(try ListBucketsParser.parse(Data("<ListAllMyBucketsResult><Buckets>".utf8)))
    }

    func testListBuckets() throws {
        let xml = page("""
        <ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets>
        <Bucket><Name>one</Name><CreationDate>2020-01-01T00:00:00.000Z</CreationDate></Bucket>
        <Bucket><Name>two</Name><CreationDate>2021-01-01T00:00:00Z</CreationDate></Bucket>
        </Buckets></ListAllMyBucketsResult>
        """)
        let buckets = try ListBucketsParser.parse(xml)
        XCTAssertEqual(buckets.map(\.name), ["one", "two"])
        XCTAssertEqual(buckets[1].creationDate, Date(timeIntervalSince1970: 1_609_459_200))
    }

    func testErrorBody() {
        let xml = page("<Error><Code>PermanentRedirect</Code><Message>Go elsewhere</Message>"
                       + "<Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint><RequestId>R1</RequestId></Error>")
        let e = ErrorResponseParser.parse(xml, status: 301)
        XCTAssertEqual(e?.code, "PermanentRedirect")
        XCTAssertEqual(e?.endpoint, "b.s3.eu-west-1.amazonaws.com")
        XCTAssertEqual(e?.requestId, "R1")
        XCTAssertNil(ErrorResponseParser.parse(Data("<html>502 Bad Gateway</html>".utf8), status: 502))
        XCTAssertNil(ErrorResponseParser.parse(Data("<Error><Code>X".utf8), status: 500))
    }

    func testTimestamps() {
        XCTAssertEqual(Timestamps.parseISO8601("1970-01-02T00:00:00Z"), Date(timeIntervalSince1970: 86400))
        XCTAssertNil(Timestamps.parseISO8601("yesterday"))
        let d = Timestamps.parseHTTPDate("Wed, 12 Oct 2009 17:50:00 GMT")
        XCTAssertEqual(d.map(Timestamps.formatISO8601), "2009-10-12T17:50:00Z")
        XCTAssertEqual(d.map(Timestamps.formatHTTPDate), "Mon, 12 Oct 2009 17:50:00 GMT")
        XCTAssertNil(Timestamps.parseHTTPDate("garbage"))
    }

    func testURIEncoding() {
        XCTAssertEqual(URIEncoding.encode("a b+c/d~é"), "a%20b%2Bc%2Fd~%C3%A9")
        XCTAssertEqual(URIEncoding.encodePath("/a b/c"), "/a%20b/c")
        XCTAssertEqual(URIEncoding.decode("a+b%2B%zz%4"), "a+b+%zz%4")
        XCTAssertEqual(URIEncoding.decode("a+b", plusIsSpace: true), "a b")
    }
}
