import Foundation
import XCTest
@testable import S3

final class TaggingParserTests: XCTestCase {
    func testATaggingDocumentIsReadInOrderWithEmptyValues() throws {
        let xml = "<?xml version=\"1.0\"?><Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
            + "<Tag><Key>team</Key><Value>web &amp; ops</Value></Tag><Tag><Key>empty</Key><Value/></Tag>"
            + "</TagSet></Tagging>"
        let tags = try TaggingParser.parse(Data(xml.utf8))
        XCTAssertEqual(tags.map(\.0), ["team", "empty"])
        XCTAssertEqual(tags.map(\.1), ["web & ops", ""])
    }

    func testAnEmptyBodyIsNoTags() throws {
        // Ceph RGW's answer to GET ?tagging for an object that was never tagged.
        XCTAssertEqual(try TaggingParser.parse(Data()).count, 0)
        XCTAssertEqual(try TaggingParser.parse(Data("\n".utf8)).count, 0)
    }

    func testAnotherDocumentIsAnErrorNotTags() {
        // A bucket listing where tags were asked for: its <Key>s are not tags.
        let listing = "<ListBucketResult><Contents><Key>a.txt</Key></Contents>"
            + "<TagSet><Tag><Key>x</Key></Tag></TagSet></ListBucketResult>"
        XCTAssertThrowsError(try TaggingParser.parse(Data(listing.utf8))) {
            XCTAssertEqual("\($0)".contains("expected a Tagging document, got <ListBucketResult>"), true, "\($0)")
        }
        XCTAssertThrowsError(try TaggingParser.parse(Data("<html><body>hi</body></html>".utf8)))
        XCTAssertThrowsError(try TaggingParser.parse(Data("<Tagging><TagSet><Tag>".utf8)))
    }

    func testTheDocumentSentEscapesAndRefusesControlCharacters() throws {
        let xml = try TaggingParser.document([("a<b", "x&y")])
        XCTAssertTrue(xml.contains("<Tag><Key>a&lt;b</Key><Value>x&amp;y</Value></Tag>"), xml)
        XCTAssertEqual(try TaggingParser.parse(Data(xml.utf8)).map { "\($0.0)=\($0.1)" }, ["a<b=x&y"])
        XCTAssertThrowsError(try TaggingParser.document([("k", "bell\u{7}")]))
    }
}
