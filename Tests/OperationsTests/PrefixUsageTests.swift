import Foundation
import XCTest
@testable import Operations
@testable import S3

final class PrefixUsageTests: XCTestCase {
    func object(_ key: String, _ size: Int64) -> ObjectSummary {
        ObjectSummary(key: key, size: size, lastModified: nil, etag: "e", storageClass: nil)
    }

    /// `du` adds pages in whatever order the chains deliver them: runs of one child broken
    /// by others, direct objects between, a child whose name only differs after a combining
    /// mark ("e/" and "e" + U+0301 + "/" are different prefixes).
    func testRowsAddUpPagesInAnyOrder() {
        var usage = PrefixUsage(prefix: "m/")
        usage.add([object("m/a/1", 1), object("m/a/2", 2), object("m/top.txt", 100)])
        usage.add([object("m/e/1", 10), object("m/e\u{301}/1", 20), object("m/e/2", 10)])
        usage.add([object("m/a/3", 4), object("m/other.txt", 1000), object("x/outside", 5000)])
        let rows = usage.rows.map { "\($0.name) \($0.bytes) \($0.objects) \($0.direct)" }
        XCTAssertEqual(rows, ["m/ 1100 2 true", "m/e/ 20 2 false", "m/e\u{301}/ 20 1 false", "m/a/ 7 3 false"])
        XCTAssertEqual(usage.totalBytes, 1147)
        XCTAssertEqual(usage.totalObjects, 8)
    }

    func testStorageClassRowsCountEveryClassAndObjectsWithoutOne() {
        func o(_ key: String, _ size: Int64, _ sc: String?) -> ObjectSummary {
            ObjectSummary(key: key, size: size, lastModified: nil, etag: "e", storageClass: sc)
        }
        var usage = PrefixUsage(prefix: "m/", byStorageClass: true)
        usage.add([o("m/a", 10, "STANDARD"), o("m/b", 500, "GLACIER"), o("m/c", 5, nil), o("m/d", 20, "STANDARD")])
        usage.add([o("m/e", 1, ""), o("m/f", 30, "STANDARD_IA"), o("m/g", 470, "GLACIER"), o("x/h", 9999, "GLACIER")])
        XCTAssertEqual(usage.classRows.map { "\($0.storageClass) \($0.bytes) \($0.objects)" },
                       ["GLACIER 970 2", "STANDARD 30 2", "STANDARD_IA 30 1", "(not given) 6 2"])
        XCTAssertEqual(PrefixUsage(prefix: "").classRows, [], "off unless asked")
        XCTAssertEqual(usage.totalObjects, 7)
    }

    func testWithoutChildRowsOnlyTotalsAndClassesAreKept() {
        var usage = PrefixUsage(prefix: "m/", byStorageClass: true, byChild: false)
        usage.add((0..<100).map { ObjectSummary(key: "m/\($0)/x", size: 2, lastModified: nil, etag: "e",
                                                storageClass: $0 < 10 ? "GLACIER" : nil) })
        XCTAssertEqual(usage.rows, [], "the browser's measure keeps no row per child prefix")
        XCTAssertEqual(usage.classRows.map { "\($0.storageClass) \($0.bytes) \($0.objects)" },
                       ["(not given) 180 90", "GLACIER 20 10"])
        XCTAssertEqual(usage.totalBytes, 200)
    }
}
