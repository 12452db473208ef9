import XCTest
@testable import Operations
import S3

/// The streaming download plan: what `planDownload` refuses for a whole listing, found across
/// batches with only the files that later keys may continue below held back.
final class DownloadPlannerTests: XCTestCase {
    private func o(_ k: String) -> ObjectSummary {
        ObjectSummary(key: k, size: 1, lastModified: nil, etag: "", storageClass: nil)
    }

    func testAFileThatIsAlsoAFolderOnALaterPageIsRefused() {
        let planner = DownloadPlanner(prefix: "p/", destination: "/tmp/d")
        // "clash" comes in one batch, the keys below "clash/" in the next (as the lister
        // hands a prefix's objects and each subtree over).
        var plan = planner.add([o("p/a"), o("p/clash")])
        XCTAssertEqual(plan.targets.map(\.name), ["a"], "clash is held: later keys start with it")
        plan = planner.add([o("p/clash-1"), o("p/clash.txt")])
        XCTAssertEqual(plan.targets.map(\.name), ["clash-1"])
        plan = planner.add([o("p/clash/inner.txt"), o("p/z")])
        XCTAssertEqual(plan.targets.map(\.name), ["clash.txt", "clash/inner.txt"])
        XCTAssertEqual(plan.refused.map(\.key), ["p/clash"])
        XCTAssertTrue(plan.refused[0].reason.contains("both a file and a folder"))
        let rest = planner.finish()
        XCTAssertEqual(rest.targets.map(\.name), ["z"])
    }

    func testARepeatedKeyAcrossBatchesIsDownloadedOnce() {
        let planner = DownloadPlanner(prefix: "p/", destination: "/tmp/d")
        XCTAssertEqual(planner.add([o("p/a")]).targets.count, 0)
        let plan = planner.add([o("p/a"), o("p/b")])
        XCTAssertEqual(plan.targets.map(\.name), ["a"])
        XCTAssertEqual(plan.refused.map(\.key), ["p/a"])
        XCTAssertEqual(planner.finish().targets.map(\.local), ["/tmp/d/b"])
    }

    func testWhatIsHeldIsBoundedByTheKeysNotTheListing() {
        let planner = DownloadPlanner(prefix: "", destination: "/tmp/d")
        var handed = 0
        for page in 0..<100 {
            let batch = (0..<1000).map { o(String(format: "k/%07d", page * 1000 + $0)) }
            handed += planner.add(batch).targets.count
            XCTAssertGreaterThanOrEqual(handed, page * 1000 + 999, "at most the last key is held")
        }
        XCTAssertEqual(handed + planner.finish().targets.count, 100_000)
    }
}
