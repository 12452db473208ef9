import XCTest
@testable import Operations

/// Inputs `make fuzz` found (their files are also in Tests/FuzzCorpus, replayed by every run).
final class OperationsFuzzRegressionTests: XCTestCase {
    /// A "/" followed by a combining mark is one Character: cutting by characters put the key
    /// into the bucket name, refused `s3://` before a combining mark as "not an S3 target",
    /// and gave no parent to a key whose last "/" carried one.
    func testS3TargetsAreCutAtTheSlashByte() throws {
        let uri = try S3URI(parsing: "s3://b/\u{301}x/y")
        XCTAssertTrue(uri.bucket.bytesEqual("b"))
        XCTAssertTrue(uri.key.bytesEqual("\u{301}x/y"))
        XCTAssertTrue(try S3URI(parsing: "s3://\u{35C}b/k").bucket.bytesEqual("\u{35C}b"))
        XCTAssertTrue(S3URI.isS3("s3://\u{301}"))
        XCTAssertTrue(S3URI.parent(of: "a/\u{301}b").bytesEqual("a/"))
        XCTAssertTrue(try S3URI(parsing: "s3://b").key.isEmpty)
        XCTAssertTrue(try S3URI(parsing: "s3://b/").key.isEmpty)
    }

    /// `presign_expires = 99999999999999999w` in pail's configuration file (read by every
    /// command) crashed pail with an arithmetic overflow
    /// (Tests/FuzzCorpus/pail-config/crash-huge-duration).
    func testHugeDurationsAreRefusedNotOverflowed() {
        XCTAssertThrowsError(try Durations.parse("99999999999999999w")) { error in
            XCTAssertEqual("\(error)",
                           "99999999999999999w is longer than 7 days, the most S3 allows for a presigned URL")
        }
        XCTAssertThrowsError(try Durations.parse("-99999999999999999w")) { error in
            XCTAssertTrue("\(error)".contains("is not a duration"), "\(error)")
        }
        XCTAssertEqual(try Durations.parse("7d"), 604_800)
        XCTAssertEqual(try Durations.parseAny("99999999999999999y"), Int.max / 31_536_000 * 31_536_000)
        XCTAssertEqual(try Durations.parseAny("2y"), 63_072_000)
    }
}
