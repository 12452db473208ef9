import XCTest
@testable import Browser

/// `--read-only` in the browser: every key that writes is refused with its reason, and the
/// footer, help and title say so; reading keys keep working.
final class ReadOnlyBrowserTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")

    func driver(everywhere: String? = "--read-only", buckets: [String: String] = [:]) -> Driver {
        var d = Driver(bucket: "site", width: 120, height: 30)
        d.state.readOnly = everywhere
        d.state.readOnlyBuckets = buckets
        d.answer(site, prefixes: ["media/"], objects: [obj("a.txt")])
        return d
    }

    func testEveryWritingKeyIsRefusedWithItsReason() {
        let writing = TreePage.keymap.filter(\.writes)
        XCTAssertEqual(Set(writing.map(\.action)), [.delete, .editHeaders, .upload, .copyObjects])
        for b in writing {
            for key in b.keys {
                var d = driver()
                d.keys(.down)
                let effects = d.keys(key)
                XCTAssertTrue(effects.isEmpty, "\(key) sent \(effects)")
                XCTAssertTrue(d.text.contains("\(b.keys[0].label) is disabled: read-only (--read-only)"), d.text)
                XCTAssertFalse(d.text.contains("Delete from s3://") || d.text.contains("Edit headers of"), d.text)
            }
        }
    }

    func testFooterHelpAndTitleSayReadOnly() {
        var d = driver()
        let lines = d.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[0].contains("pail  read-only  s3://site/"), String(lines[0]))
        XCTAssertTrue(d.text.contains("no delete") && d.text.contains("read-only: --read-only"), d.text)
        d.keys(.char("?"))
        XCTAssertTrue(d.text.contains("(disabled: read-only, --read-only)"), d.text)
    }

    func testAReadOnlyBucketRefusesOnlyThere() {
        var d = driver(everywhere: nil, buckets: ["site": "read_only in [bucket site] of F"])
        d.keys(.down)
        XCTAssertTrue(d.keys(.char("d")).isEmpty)
        XCTAssertTrue(d.text.contains("d is disabled: read-only (read_only in [bucket site] of F)"), d.text)
        var other = driver(everywhere: nil, buckets: ["other": "read_only in [bucket other] of F"])
        other.keys(.down)
        XCTAssertFalse(other.keys(.char("d")).isEmpty, "a writable bucket still plans its delete")
        XCTAssertFalse(other.text.contains("read-only"), other.text)
    }

    func testWithoutReadOnlyNothingChanges() {
        var d = driver(everywhere: nil)
        XCTAssertFalse(d.text.contains("read-only"), d.text)
        d.keys(.down)
        XCTAssertFalse(d.keys(.char("d")).isEmpty)
    }
}
