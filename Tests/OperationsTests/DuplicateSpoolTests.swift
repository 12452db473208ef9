import Foundation
import XCTest
import S3
@testable import Operations

/// `dupes` sorted on disk (issue 11: memory bounded by work in flight, not by the listing)
/// gives what the in-memory finder gives, in the same order.
final class DuplicateSpoolTests: XCTestCase {
    func testTheSorterOrdersByBytesThroughRunsAndMergePasses() throws {
        var seed: UInt64 = 7
        func random(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        // Tiny runs and a fan-in of 3: dozens of runs, merged in passes before the last merge.
        let sorter = ExternalSorter(name: "test", holding: "test lines", runBytes: 600, fanIn: 3)
        var lines: [[UInt8]] = []
        for _ in 0..<2000 {
            let line = (0..<random(12)).map { _ in UInt8(0x20 + random(0x5f)) }
            lines.append(line)
            try sorter.add(line)
        }
        XCTAssertGreaterThan(sorter.runCount, 9, "spilled to runs")
        var out: [[UInt8]] = []
        try sorter.sorted { out.append($0) }
        XCTAssertEqual(out, lines.sorted { $0.lexicographicallyPrecedes($1) })
    }

    func testSpooledGroupsEqualTheFindersGroupsInOrder() throws {
        var seed: UInt64 = 11
        func random(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let etags = ["d41d8cd98f00b204e9800998ecf8427e", "D41D8CD98F00B204E9800998ECF8427E", "abc-2",
                     "0cc175b9c0f1b6a8", "ffff"]
        let stems = ["media/photo", "media/caf\u{E9}", "media/cafe\u{301}", "static/site", "x/a", "x/a/b"]
        let classes: [String?] = [nil, "STANDARD", "GLACIER"]
        var objects: [ObjectSummary] = []
        for i in 0..<3000 {
            let rename = random(4) == 0 ? "_AbC\(1000 + random(9000))" : ""
            // Keys are unique in a listing; dates repeat, so the rename and then the key decide.
            let key = "\(stems[random(stems.count)])-\(i)\(rename).jpg" + (random(50) == 0 ? "/" : "")
            let seconds = 1_600_000_000 + random(20) - (i % 97 == 0 ? 2_000_000_000 : 0)
            let date: Date? = random(10) == 0 ? nil : Date(timeIntervalSince1970: Double(seconds))
            let size = Int64([0, 1, 70, 5_000, 1 << 40, random(30)][random(6)])
            objects.append(ObjectSummary(key: key, size: size, lastModified: date, etag: etags[random(etags.count)],
                                         storageClass: classes[random(classes.count)]))
        }
        var finder = DuplicateFinder()
        let spool = DuplicateSpool(runBytes: 4096)
        for start in stride(from: 0, to: objects.count, by: 250) {
            let page = Array(objects[start..<min(objects.count, start + 250)])
            finder.add(page)
            try spool.add(page)
        }
        var groups: [(size: Int64, etag: String, count: Int, reclaimable: Int64)] = []
        var members: [[ObjectSummary]] = []
        let totals = try spool.groups({ g in
            groups.append((g.size, g.etag, g.count, g.reclaimable))
            members.append([])
        }, object: { members[members.count - 1].append($0) })
        let expected = finder.groups
        XCTAssertGreaterThan(expected.count, 20)
        XCTAssertEqual(groups.count, expected.count)
        for (i, e) in expected.enumerated() where i < groups.count {
            XCTAssertEqual(groups[i].size, e.size, "group \(i)")
            XCTAssertEqual(groups[i].etag, e.etag, "group \(i)")
            XCTAssertEqual(groups[i].count, e.objects.count, "group \(i)")
            XCTAssertEqual(groups[i].reclaimable, e.reclaimable, "group \(i)")
            XCTAssertEqual(members[i], e.objects, "group \(i): the same objects, the one to keep first")
        }
        XCTAssertEqual(totals.groups, expected.count)
        XCTAssertEqual(totals.duplicates, expected.reduce(0) { $0 + $1.objects.count - 1 })
        XCTAssertEqual(totals.bytes, expected.reduce(Int64(0)) { $0 + $1.reclaimable })
        XCTAssertEqual(spool.scanned, finder.scanned)
    }

    func testBytesToFreeSaturateInsteadOfOverflowing() {
        let huge = DuplicateSpool.Group(size: 5 << 40, etag: "e", count: 20_000_000)
        XCTAssertEqual(huge.reclaimable, Int64.max)
        XCTAssertEqual(DuplicateSpool.sum(Int64.max - 1, 5), Int64.max)
    }
}
