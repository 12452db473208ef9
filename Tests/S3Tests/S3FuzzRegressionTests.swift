import Foundation
import XCTest
@testable import S3

/// Inputs `make fuzz` found (their files are also in Tests/FuzzCorpus, replayed by every run).
final class S3FuzzRegressionTests: XCTestCase {
    /// Five bytes from a server crashed pail: FoundationXML traps on an element name that is
    /// not UTF-8 (Tests/FuzzCorpus/list-objects/crash-element-name-not-utf8).
    func testAnElementNameThatIsNotUTF8IsAMalformedAnswer() {
        let body = Data([0x3C, 0xFF, 0x3E, 0x74, 0x3E])  // <\xFF>t>
        XCTAssertThrowsError(try ListObjectsV2Parser.parse(body)) { error in
            XCTAssertEqual("\(error)", "the server sent a response pail cannot read: ListObjectsV2 body is not UTF-8")
        }
        XCTAssertNil(ErrorResponseParser.parse(body, status: 200))
        XCTAssertThrowsError(try ListVersionsParser.parse(body))
    }

    /// FoundationXML reads a NULL pointer (SIGSEGV) at a processing instruction without data,
    /// anywhere in the body (Tests/FuzzCorpus/list-objects/crash-processing-instruction-without-data).
    func testAProcessingInstructionIsAMalformedAnswer() throws {
        for body in ["<ListBucketResult><?x?></ListBucketResult>", "<?xml?><Error><Code>InternalError</Code></Error>",
                     "<ListBucketResult/><?pi?>"] {
            XCTAssertThrowsError(try ListObjectsV2Parser.parse(Data(body.utf8)), body)
            XCTAssertNil(ErrorResponseParser.parse(Data(body.utf8), status: 200), body)
        }
        let declared = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>b</Name></ListBucketResult>"
        XCTAssertEqual(try ListObjectsV2Parser.parse(Data(declared.utf8)).bucket, "b")
        // The declaration after keep-alive whitespace is still only a declaration.
        XCTAssertFalse(XMLDocumentReader.hasProcessingInstruction(Data("  \n\(declared)".utf8)))
        XCTAssertTrue(XMLDocumentReader.hasProcessingInstruction(Data("  \n\(declared)<?x?>".utf8)))
    }

    /// "\r\n" is one Character in Swift, so splitting on "\n" read a CRLF file as one line and
    /// refused it ("a setting before any [section]" or "section header is missing").
    func testACredentialsFileWithCRLFLineEndsReadsLikeOneWithLF() throws {
        let lf = "[default]\naws_access_key_id = AKID\naws_secret_access_key = secret\n\n"
            + "[profile dev]\nregion = eu-west-1\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try AWSConfigFile(path: "lf", text: lf)
        let b = try AWSConfigFile(path: "crlf", text: crlf)
        XCTAssertEqual(b.sections, a.sections)
        XCTAssertEqual(b.sections["default"]?["aws_access_key_id"], "AKID")
        XCTAssertEqual(b.lines["profile dev"]?["region"], 6)
        XCTAssertNoThrow(try AWSConfigFile(path: "crlf", text: "\r\n"))
    }
}
