import Foundation
import S3
import XCTest
@testable import Operations

/// `pail cp` and the browser's downloads and copies of marked objects plan through one
/// `TransferPlanner`: the same input gives the same targets and refusals, in byte order.
final class TransferPlannerTests: XCTestCase {
    let keys = ["media/a.jpg", "media/2023/x.jpg", "media/2023/clash", "media/2023/clash/inner",
                "media/2023/e\u{301}.txt", "media/2023/\u{e9}.txt", "media/2023/../evil", "media/2024/y"]

    func planner() -> TransferPlanner {
        let server = PlannerServer(keys.map { ($0, PlannerServer.Object(etag: "e", headers: [])) })
        return TransferPlanner(client: PlannerServer.client(server), bucket: "b")
    }

    func testAMarkedObjectDownloadsAsCpDownloadsItIntoAFolder() throws {
        let p = planner()
        let marked = try p.allDownloads(TransferPlanner.marked(keys: ["media/a.jpg"], prefixes: []), into: "/tmp/d")
        let command = try p.allDownloads([TransferPlanner.download(key: "media/a.jpg", recursive: false)],
                                         into: "/tmp/d")
        XCTAssertEqual(marked.targets.map(\.local), ["/tmp/d/a.jpg"])
        XCTAssertEqual(command.targets.map(\.local), marked.targets.map(\.local))
    }

    func testAMarkedPrefixIsRefusedAndOrderedAsCpDoesIt() throws {
        let p = planner()
        let marked = try p.allDownloads(TransferPlanner.marked(keys: [], prefixes: ["media/2023/"]), into: "/tmp/d")
        // `cp -r s3://b/media/2023/ /tmp/d/2023`: the same objects at the same paths.
        let command = try p.allDownloads([TransferPlanner.download(key: "media/2023/", recursive: true)],
                                         into: "/tmp/d/2023")
        // NFD before NFC (bytes 65 cc 81 < c3 a9), both kept: two keys, two files.
        // (Compared as bytes: Swift's String equality takes the two spellings for one.)
        let expected = ["2023/clash/inner", "2023/e\u{301}.txt", "2023/x.jpg", "2023/\u{e9}.txt"]
        XCTAssertEqual(marked.targets.map { Array($0.name.utf8) }, expected.map { Array($0.utf8) })
        XCTAssertEqual(command.targets.map { Array($0.local.utf8) }, marked.targets.map { Array($0.local.utf8) })
        XCTAssertEqual(Set(marked.refused.map(\.key)), ["media/2023/clash", "media/2023/../evil"])
        XCTAssertEqual(Set(command.refused.map(\.key)), Set(marked.refused.map(\.key)))
    }

    func testAMarkedPrefixCopiesAsCpRecursiveCopiesIt() throws {
        let p = planner()
        let marked = try p.allCopies(TransferPlanner.marked(keys: ["media/a.jpg"], prefixes: ["media/2024/"]),
                                     to: "x", prefix: "dest/")
        // `cp -r s3://b/media/2024 s3://x/dest/` and `cp s3://b/media/a.jpg s3://x/dest/`.
        let command = try p.allCopies([TransferPlanner.copy(key: "media/a.jpg", recursive: false, intoPrefix: true),
                                       TransferPlanner.copy(key: "media/2024", recursive: true, intoPrefix: true)],
                                      to: "x", prefix: "dest/")
        XCTAssertEqual(marked.targets.map(\.destinationKey), ["dest/a.jpg", "dest/2024/y"])
        XCTAssertEqual(command.targets.map(\.destinationKey), marked.targets.map(\.destinationKey))
        // Onto itself is refused for both.
        let onto = try p.allCopies(TransferPlanner.marked(keys: ["media/a.jpg"], prefixes: []), to: "b",
                                   prefix: "media/")
        XCTAssertEqual(onto.refused.map(\.key), ["media/a.jpg"])
    }
}
