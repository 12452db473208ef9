import Foundation
import Operations
import S3
import XCTest

final class BucketConfigurationsTests: XCTestCase {
    func testAnEmptiedFileDeletesAndAPolicyIsSentAsWritten() throws {
        XCTAssertEqual(try BucketConfigurations.prepare(.cors, text: " \n\t\n"), .delete)
        let policy = "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n}\n"
        XCTAssertEqual(try BucketConfigurations.prepare(.policy, text: policy),
                       .replace(Data(#"{"Version":"2012-10-17","Statement":[]}"#.utf8)))
        XCTAssertThrowsError(try BucketConfigurations.prepare(.policy, text: "[]"))
        XCTAssertThrowsError(try BucketConfigurations.prepare(.policy, text: "{\"Version\": \"2012-10-17\"}"))
    }

    func testThePolicyIsEditedAsThePolicyDocumentPrettyPrinted() {
        let policy = #"{"Version":"2012-10-17","Statement":[]}"#
        let state = BucketSectionState.State.set(.object([("Policy", .string(policy), 0)]))
        XCTAssertEqual(BucketConfigurations.editableText(.policy, state),
                       "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n}\n")
        XCTAssertEqual(BucketConfigurations.editableText(.cors, .notSet("NoSuchCORSConfiguration")), "")
    }

    func testBackupsAreNewPrivateFilesUnderTheStateDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pail-bk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try BucketConfigurations.backup(bucket: "my-site", section: .cors, text: "{}\n",
                                                   environment: ["XDG_STATE_HOME": dir])
        XCTAssertTrue(path.hasPrefix(dir + "/pail/bucket-configs/my-site-cors-"), path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{}\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        // A name that exists (a link planted in advance) is never written through.
        XCTAssertThrowsError(try PrivateFile.write(path, Data("x".utf8)))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{}\n")
    }

    func testSectionLinesSayNotSetUnsupportedAndEscapeServerText() {
        XCTAssertEqual(BucketSectionState(section: .cors, state: .notSet("NoSuchCORSConfiguration")).lines,
                       ["not set (NoSuchCORSConfiguration)"])
        XCTAssertEqual(BucketSectionState(section: .publicAccessBlock, state: .unsupported("NotImplemented")).lines,
                       ["not supported by this server (NotImplemented)"])
        let region = BucketSectionState(section: .region, state: .set(.object([("LocationConstraint", .null, 0)])))
        XCTAssertEqual(region.lines, ["us-east-1"])
        let hostile = BucketSectionState(section: .versioning,
                                         state: .set(.object([("Status", .string("En\u{1b}[2J"), 0)])))
        XCTAssertEqual(hostile.lines, ["En\\x1b[2J"])
    }

    func testTagEditsCompareKeysByBytes() {
        var missing: [String] = []
        let out = TagEdit.apply(to: [("caf\u{E9}", "1"), ("b", "2")], set: [("cafe\u{301}", "3"), ("b", "4")],
                                remove: ["x"]) { missing.append($0) }
        XCTAssertEqual(out.count, 3)
        guard out.count == 3 else { return }
        XCTAssertTrue(out[0].0.bytesEqual("caf\u{E9}") && out[2].0.bytesEqual("cafe\u{301}"))
        XCTAssertEqual(out.map(\.1), ["1", "4", "3"])
        XCTAssertEqual(missing, ["x"])
        XCTAssertEqual(TagEdit.split("c=x=y")?.1, "x=y")
        XCTAssertNil(TagEdit.split("=v"))
    }

    func testDiffMarksRemovedAndAddedLines() {
        XCTAssertEqual(LineDiff.lines(old: "{\n  \"a\": 1\n}\n", new: "{\n  \"a\": 2\n}\n"),
                       ["  {", "-   \"a\": 1", "+   \"a\": 2", "  }"])
    }
}
