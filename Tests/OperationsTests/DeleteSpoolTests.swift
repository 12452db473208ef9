import Foundation
import XCTest
@testable import Operations
@testable import S3

final class DeleteSpoolTests: XCTestCase {
    func item(_ key: String, _ size: Int64 = 3) -> DeletePlan.Item {
        DeletePlan.Item(key: key, size: size, etag: "\"e\(size)\"", lastModified: Date(timeIntervalSince1970: 1e9),
                        versionId: nil)
    }

    /// Keys with a newline, a space, NFC and NFD spellings of one letter and a control
    /// character come back byte for byte, in pages, with the count and size of what was written.
    func testThePlanComesBackByteForByteInPages() throws {
        let spool = try DeleteSpool()
        let keys = ["k/a b", "k/line\nbreak", "k/\u{e9}", "k/e\u{301}", "k/\u{1}bell"] + (0..<2_500).map { "k/\($0)" }
        for (i, k) in keys.enumerated() { try spool.append(item(k, Int64(i))) }
        XCTAssertEqual(spool.count, keys.count)
        XCTAssertEqual(spool.bytes, Int64(keys.count * (keys.count - 1) / 2))
        var back: [DeletePlan.Item] = [], pages: [Int] = []
        try spool.pages(1000, allowed: { $0.hasBytePrefix("k/") }) { page in
            pages.append(page.count)
            back += page
        }
        XCTAssertEqual(pages, [1000, 1000, 505])
        XCTAssertEqual(back.map { Array($0.key.utf8) }, keys.map { Array($0.utf8) })
        XCTAssertEqual(back.map(\.size), (0..<keys.count).map { Int64($0) })
        XCTAssertEqual(back[3].etag, "\"e3\"")
        XCTAssertEqual(back[0].lastModified, Date(timeIntervalSince1970: 1e9))
    }

    /// One key outside what was confirmed, anywhere in the plan: nothing at all is handed on
    /// (the whole plan is checked before its first page goes to be deleted).
    func testAKeyOutsideWhatWasConfirmedDeliversNoPage() throws {
        let spool = try DeleteSpool()
        for i in 0..<3_000 { try spool.append(item(String(format: "k/%05d", i))) }
        try spool.append(item("other/x"))
        var delivered = 0
        XCTAssertThrowsError(try spool.pages(allowed: { $0.hasBytePrefix("k/") }) { delivered += $0.count }) {
            XCTAssertTrue("\($0)".contains("changed after it was shown"), "\($0)")
        }
        XCTAssertEqual(delivered, 0)
    }

    /// The plan a person confirms names only its first keys in memory, and its count and size
    /// are the whole plan's.
    func testASpooledPlanSummarisesTheWholePlan() throws {
        let spool = try DeleteSpool()
        for i in 0..<250 { try spool.append(item("media/\(i)", 4)) }
        var plan = DeletePlan(bucket: "b", items: (0..<5).map { item("media/\($0)", 4) }, prefixes: ["media/"],
                              versioning: nil)
        plan.spool = spool
        XCTAssertEqual(plan.count, 250)
        XCTAssertEqual(plan.totalBytes, 1000)
        XCTAssertTrue(plan.summary()[0].hasPrefix("250 objects"), "\(plan.summary())")
        XCTAssertTrue(plan.summary().contains("  … and 245 more"), "\(plan.summary())")
        XCTAssertEqual(plan.confirmationWord, "s3://b/media/")
        let allowed = Deleter.allows(plan, keys: [])
        XCTAssertTrue(allowed("media/1"))
        XCTAssertFalse(allowed("media2/1"))
        XCTAssertFalse(allowed("medi"))
    }
}
