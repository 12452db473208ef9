import Foundation
import S3
import XCTest
@testable import Operations

/// `pail set-headers` and the browser's header form plan through one `HeaderEditPlanner`:
/// the same input gives the same plan (entries with the ETags previewed, the same counts and
/// per-field preview), and applying it makes the same checks.
final class HeaderEditPlannerTests: XCTestCase {
    override func setUp() { TagKeeper.forgetAll() }

    func server() -> PlannerServer {
        PlannerServer([
            ("p/a", .init(etag: "ea", headers: [("Cache-Control", "max-age=60"), ("x-amz-meta-owner", "web")])),
            ("p/b", .init(etag: "eb", headers: [("Cache-Control", "max-age=3600")])),
            ("p/c", .init(etag: "ec", headers: [])),
            ("p-other", .init(etag: "eo", headers: [])),
            ("q/x", .init(etag: "ex", headers: [])),
        ])
    }

    var changes: HeaderChanges {
        var c = HeaderChanges()
        c.setFields[.cacheControl] = "max-age=3600"
        return c
    }

    func entries(_ plan: HeaderEditPlan) throws -> [String] {
        var out: [String] = []
        try plan.entries { out += $0.map { "\($0.key) \($0.etag ?? "-")" } }
        return out
    }

    func preview(_ planner: HeaderEditPlanner) throws -> HeaderEditPlan {
        try planner.preview(failed: { key, error in XCTFail("\(key): \(error)") })
    }

    func testTheCommandAndTheBrowsersMarksGiveTheSamePlan() throws {
        let s = server()
        let editor = HeaderEditor(client: PlannerServer.client(s), parallelism: 2)
        // `pail set-headers -r s3://b/p` and a marked folder p/ in the browser.
        let command = try preview(.command(editor: editor, bucket: "b", key: "p", recursive: true, changes: changes))
        let marks = try preview(.marks(editor: editor, bucket: "b", keys: [], prefixes: ["p/"], changes: changes))
        for plan in [command, marks] {
            // p/b is already right: counted, never spooled; p-other is not below p/.
            XCTAssertEqual(try entries(plan), ["p/a ea", "p/c ec"])
            XCTAssertEqual(plan.objects, 3)
            XCTAssertEqual(plan.changing, 2)
        }
        XCTAssertEqual(command.tally.previews, marks.tally.previews)
        XCTAssertEqual(command.tally.previews.first?.before, ["max-age=60": 1, "max-age=3600": 1, "(none)": 1])
        // One object: `pail set-headers s3://b/p/a` and a marked object.
        let one = try preview(.command(editor: editor, bucket: "b", key: "p/a", recursive: false, changes: changes))
        let marked = try preview(.marks(editor: editor, bucket: "b", keys: ["p/a"], prefixes: [], changes: changes))
        XCTAssertEqual(try entries(one), ["p/a ea"])
        XCTAssertEqual(try entries(marked), try entries(one))
        XCTAssertTrue(s.copied.isEmpty, "a preview changes nothing")
    }

    func testApplyingEditsWhatThePreviewSawKeepingMetadataAndRefusingWhatChangedSince() throws {
        let s = server()
        let editor = HeaderEditor(client: PlannerServer.client(s), parallelism: 1)
        let planner = HeaderEditPlanner.marks(editor: editor, bucket: "b", keys: [], prefixes: ["p/"],
                                              changes: changes)
        let plan = try preview(planner)
        s.replace("p/c", etag: "ec2")  // written by someone else after the preview
        let summary = try planner.applyKeepingKeys(plan)
        XCTAssertEqual(summary.changed, ["p/a"])
        XCTAssertEqual(summary.failed.map(\.key), ["p/c"])
        let reason = summary.failed.first?.reason ?? ""
        XCTAssertTrue(reason.contains("it changed since the preview"), reason)
        XCTAssertEqual(summary.skippedCount, 1, "p/b was already right")
        XCTAssertEqual(summary.line, "changed 1, skipped 1, failed 1")
        XCTAssertEqual(s.copied.map(\.key), ["p/a"], "only p/a was copied onto itself")
        let sent = (s.copied.first?.headers ?? []).map { "\($0.0.lowercased())=\($0.1)" }
        XCTAssertTrue(sent.contains("x-amz-meta-owner=web"), "metadata the edit does not name is kept: \(sent)")
        XCTAssertTrue(sent.contains("cache-control=max-age=3600"), "\(sent)")
        XCTAssertTrue(sent.contains("x-amz-copy-source-if-match=\"ea\""), "pinned to the previewed ETag: \(sent)")
        // The counted form (the command's) says the same.
        let again = try preview(planner)
        XCTAssertEqual(try entries(again), ["p/c ec2"])
        let streamed = try planner.apply(again)
        XCTAssertEqual(streamed.line, "changed 1, skipped 2, failed 0")
        XCTAssertEqual(streamed.firstChanged, ["p/c"])
    }

    func testAContentEncodingThatWouldLieAboutTheBytesIsRefusedForBothCallers() throws {
        let s = server()
        let editor = HeaderEditor(client: PlannerServer.client(s), parallelism: 1)
        var gzip = HeaderChanges()
        gzip.setFields[.contentEncoding] = "gzip"
        for planner in [HeaderEditPlanner.command(editor: editor, bucket: "b", key: "p/a", recursive: false,
                                                  changes: gzip),
                        HeaderEditPlanner.marks(editor: editor, bucket: "b", keys: ["p/a"], prefixes: [],
                                                changes: gzip)] {
            let summary = try planner.applyKeepingKeys(try preview(planner))
            XCTAssertEqual(summary.failed.map(\.key), ["p/a"])
            let reason = summary.failed.first?.reason ?? ""
            XCTAssertTrue(reason.contains("Content-Encoding: gzip refused"), reason)
        }
        XCTAssertTrue(s.copied.isEmpty)
    }

    func testAnObjectThatCannotBeReadIsLeftOutAndNamed() throws {
        let editor = HeaderEditor(client: PlannerServer.client(server()), parallelism: 1)
        var failed: [String] = []
        let plan = try HeaderEditPlanner.marks(editor: editor, bucket: "b", keys: ["p/a", "gone"], prefixes: [],
                                               changes: changes).preview(failed: { key, _ in failed.append(key) })
        XCTAssertEqual(failed, ["gone"])
        XCTAssertEqual(plan.unreadable, 1)
        XCTAssertEqual(try entries(plan), ["p/a ea"])
    }
}
