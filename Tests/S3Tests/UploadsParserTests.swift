import Foundation
import XCTest
@testable import S3

final class UploadsParserTests: XCTestCase {
    func testUploadKeysAreDecodedExactlyOrLeftOut() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListMultipartUploadsResult><Bucket>b</Bucket><EncodingType>url</EncodingType>
            <IsTruncated>true</IsTruncated><NextKeyMarker>media%2Fz+z</NextKeyMarker>\
            <NextUploadIdMarker>u3</NextUploadIdMarker>
            <Upload><Key>media/caf%C3%A9+1.jpg</Key><UploadId>u1</UploadId>\
            <Initiated>2026-11-01T10:00:00.000Z</Initiated></Upload>
            <Upload><Key>media/%FF%FE</Key><UploadId>u2</UploadId></Upload>
            </ListMultipartUploadsResult>
            """
        let page = try ListUploadsParser.parse(Data(xml.utf8))
        XCTAssertEqual(page.uploads.map(\.key), ["media/caf\u{E9} 1.jpg"])
        XCTAssertEqual(page.undecodable, 1, "%FF%FE is no UTF-8: never turned into U+FFFD and aborted by that name")
        XCTAssertEqual(page.nextKeyMarker, "media/z z")
        XCTAssertTrue(page.truncated)
        XCTAssertNotNil(page.uploads[0].initiated)
        XCTAssertThrowsError(try ListUploadsParser.parse(Data("<ListBucketResult/>".utf8)), "the wrong document")
    }

    func testPartSizesAreBounded() throws {
        let ok = "<ListPartsResult><Part><PartNumber>1</PartNumber><Size>5242880</Size></Part></ListPartsResult>"
        XCTAssertEqual(try ListPartsParser.parse(Data(ok.utf8)).parts, [UploadedPart(number: 1, size: 5 << 20)])
        for size in ["-1", "6442450944", "x"] {
            let bad = "<ListPartsResult><Part><PartNumber>1</PartNumber><Size>\(size)</Size></Part></ListPartsResult>"
            XCTAssertThrowsError(try ListPartsParser.parse(Data(bad.utf8)), size)
        }
    }
}
