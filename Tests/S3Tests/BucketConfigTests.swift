import Foundation
import XCTest
@testable import S3

final class BucketConfigTests: XCTestCase {
    let ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""

    func testCORSReadsAsTheAWSCLIShapeWithRepeatedElementsAsListsAndNumbers() throws {
        let xml = "<CORSConfiguration \(ns)><CORSRule><AllowedMethod>GET</AllowedMethod>"
            + "<AllowedMethod>HEAD</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>3000</MaxAgeSeconds>"
            + "</CORSRule></CORSConfiguration>"
        let json = try BucketConfigCodec.forSection(.cors)!.json(fromXML: Data(xml.utf8))
        XCTAssertEqual(json.compact, #"{"CORSRules":[{"AllowedMethods":["GET","HEAD"],"AllowedOrigins":["*"],"#
                                     + #""MaxAgeSeconds":3000}]}"#)
    }

    func testEditedJSONBecomesTheXMLS3WantsAndBackAgain() throws {
        let text = """
            {"Rules": [{"ID": "tmp", "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "a", "Value": "1"}]}},
              "Status": "Enabled", "Expiration": {"ExpiredObjectDeleteMarker": true},
              "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}, {"Days": 90, "StorageClass": "DEEP_ARCHIVE"}]}]}
            """
        let codec = BucketConfigCodec.forSection(.lifecycle)!
        let xml = try codec.xml(fromJSON: try JSONValue.parse(text))
        let s = String(decoding: xml, as: UTF8.self)
        XCTAssertTrue(s.contains("<Rule><ID>tmp</ID><Filter><And><Prefix>tmp/</Prefix>"
                                 + "<Tag><Key>a</Key><Value>1</Value></Tag></And></Filter>"), s)
        XCTAssertTrue(s.contains("<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition>"
                                 + "<Transition><Days>90</Days>"), s)
        XCTAssertEqual(try codec.json(fromXML: xml), try JSONValue.parse(text))
    }

    func testWrappedListsKeepTheirWrapper() throws {
        let codec = BucketConfigCodec.forSection(.tags)!
        let xml = try codec.xml(fromJSON: try JSONValue.parse(#"{"TagSet": [{"Key": "a&b", "Value": "<1>"}]}"#))
        XCTAssertTrue(String(decoding: xml, as: UTF8.self)
            .hasSuffix("<TagSet><Tag><Key>a&amp;b</Key><Value>&lt;1&gt;</Value></Tag></TagSet></Tagging>"))
        let site = BucketConfigCodec.forSection(.website)!
        let doc = #"{"IndexDocument": {"Suffix": "index.html"}, "RoutingRules": [{"Condition": "#
            + #"{"KeyPrefixEquals": "old/"}, "Redirect": {"ReplaceKeyPrefixWith": "new/"}}]}"#
        let back = try site.json(fromXML: try site.xml(fromJSON: try JSONValue.parse(doc)))
        XCTAssertEqual(back, try JSONValue.parse(doc))
    }

    func testMistakesAreReportedWithTheirLine() {
        func error(_ section: BucketSection, _ text: String) -> String {
            do {
                _ = try BucketConfigCodec.forSection(section)!.xml(fromJSON: try JSONValue.parse(text))
                return "accepted"
            } catch { return String(describing: error) }
        }
        XCTAssertEqual(error(.cors, "{\n \"CORSRules\": [\n  {\"AllowedMethods\": [\"GET\"],\n"
                                    + "   \"AllowedOrigin\": [\"*\"]}]}"),
                       "line 4: unknown field \"AllowedOrigin\" (did you mean \"AllowedOrigins\"?)")
        XCTAssertEqual(error(.cors, "{\"CORSRules\": [{\"AllowedMethods\": [\"GET\"], \"AllowedOrigins\": [\"*\"],\n"
                                    + "\"MaxAgeSeconds\": \"30\"}]}"),
                       "line 2: \"MaxAgeSeconds\" must be a number, without quotes")
        XCTAssertEqual(error(.cors, "{\"CORSRules\": {\"AllowedMethods\": [\"GET\"]}}"),
                       "line 1: \"CORSRules\" must be a list ([ ... ])")
        XCTAssertEqual(error(.cors, "{\"CORSRules\": [\n{\"AllowedMethods\": [\"GET\"]}]}"),
                       "line 2: this CORSRule needs \"AllowedOrigins\"")
        XCTAssertEqual(error(.tags, "{\"TagSet\": [{\"Key\": \"a\", \"Value\": \"\\u001b[31m\"}]}"),
                       "line 1: \"Value\" holds a control character, which S3's XML cannot carry")
        XCTAssertEqual(error(.lifecycle, "{}"), "line 1: the document needs \"Rules\"")
    }

    func testJSONSyntaxErrorsNameTheLine() {
        func error(_ text: String) -> String {
            do { _ = try JSONValue.parse(text); return "accepted" } catch { return String(describing: error) }
        }
        XCTAssertEqual(error("{\n  \"a\": 1\n  \"b\": 2\n}"),
                       "line 3: expected ',' or '}' after a field (a missing comma?)")
        XCTAssertEqual(error("{\"a\": 1, \"a\": 2}"), "line 1: the field \"a\" appears twice")
        XCTAssertEqual(error("{\"a\": [1, 2}"), "line 1: expected ',' or ']' in a list (a missing comma?)")
        XCTAssertEqual(error("{\"a\": \"x}\n"), "line 1: a string runs past the end of its line (a missing '\"')")
        XCTAssertEqual(error(String(repeating: "[", count: 100)), "line 1: nested more than 64 levels deep")
        XCTAssertEqual(error("{} x"), "line 1: unexpected text after the JSON document")
    }

    func testJSONKeepsFieldOrderNumbersAndCompareKeysByBytes() throws {
        let v = try JSONValue.parse(#"{"b": 3000, "a": [true, null, "caf\u00e9"]}"#)
        XCTAssertEqual(v.compact, #"{"b":3000,"a":[true,null,"café"]}"#)
        // An NFC and an NFD key are two fields, as in S3.
        let two = try JSONValue.parse("{\"caf\u{E9}\": 1, \"cafe\u{301}\": 2}")
        XCTAssertEqual(two["cafe\u{301}"], .number("2"))
    }

    func testServerTextIsEscapedWhenPrinted() {
        let v = JSONValue.object([("AllowedOrigins", .array([(.string("\u{1b}]52;c;evil\u{07}\u{202E}"), 0)]), 0)])
        let out = v.pretty()
        XCTAssertFalse(out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        XCTAssertTrue(out.contains("\\u001b]52;c;evil\\u0007\\u202e"), out)
    }

    func testAnswersThatAreNotTheDocumentAskedForAreUnsupportedNeverParsed() {
        func answer(_ section: BucketSection, _ body: String) -> BucketConfigAnswer {
            S3Client.readBucketConfiguration(Data(body.utf8), section: section)
        }
        // Ceph RGW answers ?ownershipControls with a listing that has Rule-like elements inside.
        XCTAssertEqual(answer(.ownership, "<ListBucketResult><Name>b</Name><Rule><ObjectOwnership>x"
                                          + "</ObjectOwnership></Rule></ListBucketResult>"),
                       .unsupported("the server answered with a <ListBucketResult> document, not a OwnershipControls"))
        XCTAssertEqual(answer(.region, "<CreateBucketConfiguration><LocationConstraint>eu</LocationConstraint>"
                                       + "</CreateBucketConfiguration>"),
                       .unsupported("the server answered with a <CreateBucketConfiguration> document, "
                                    + "not a LocationConstraint"))
        XCTAssertEqual(answer(.policy, "<html><body>Welcome</body></html>"),
                       .unsupported("the server answered with a <html> document, not a JSON policy"))
        XCTAssertEqual(answer(.cors, ""),
                       .unsupported("the server answered with an empty body, not a CORSConfiguration"))
        XCTAssertEqual(answer(.region, "<LocationConstraint \(ns)/>"),
                       .document(.object([("LocationConstraint", .null, 0)])))
        XCTAssertEqual(answer(.region, "<LocationConstraint \(ns)>eu-west-1</LocationConstraint>"),
                       .document(.object([("LocationConstraint", .string("eu-west-1"), 0)])))
        XCTAssertEqual(answer(.versioning, "<GetBucketVersioningResponse \(ns)><Status>Enabled</Status>"
                                           + "</GetBucketVersioningResponse>"),
                       .document(.object([("Status", .string("Enabled"), 0)])))
        XCTAssertEqual(answer(.publicAccessBlock, "<PublicAccessBlockConfiguration><BlockPublicAcls>true"
                                                  + "</BlockPublicAcls></PublicAccessBlockConfiguration>"),
                       .document(.object([("PublicAccessBlockConfiguration",
                                           .object([("BlockPublicAcls", .bool(true), 0)]), 0)])))
    }
}
