import XCTest
import Operations
@testable import Browser

/// Text that used to be cut with "…" wraps instead, and the first bucket list marks the title busy.
final class PolishTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")

    func testLongHelpDescriptionsWrapUnderTheirColumnAndScrollToTheEnd() {
        for (w, h) in [(80, 24), (120, 40)] {
            var d = Driver(bucket: "site", width: w, height: h)
            d.answer(site, objects: [obj("a")])
            d.keys(.char("?"))
            guard let help = d.state.page(HelpPage.self) else { return XCTFail("no help") }
            // Every screenful while scrolling, the description column read as running text.
            var flow: [String] = []
            for _ in 0...(help.rows(width: w).count) {
                let rows = d.text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix(h - 3)
                flow += rows.map { String($0.dropFirst(HelpPage.textColumn)) }
                d.keys(.char("j"))
            }
            let text = flow.joined(separator: " ")
            for (_, description) in help.lines where !description.isEmpty {
                XCTAssertTrue(text.contains(Formatting.safe(description)), "\(w)x\(h): cut: \(description)")
            }
            if w == 80 {
                XCTAssertTrue(help.lines.contains { DisplayWidth.of($0.1) > w - HelpPage.textColumn },
                              "some description is longer than its column")
            }
        }
    }

    func testTheHeaderFormIntroIsReadableAt80x24() {
        let text = Renderer.render(PagesTests.opened(HeaderFormPage.self, width: 80, height: 24)).text
        let inBox = text.split(separator: "\n").map { $0.replacingOccurrences(of: "│", with: " ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(inBox.joined(separator: " ").contains(HeaderFormPage.intro), text)
        XCTAssertTrue(text.contains("Metadata"), "the last field still shows: \(text)")
    }

    func testTheFirstBucketListAndAProfileSwitchAreBusyUntilTheAnswer() {
        var (s, effects) = BrowserState.start(bucket: nil, prefix: "", width: 80, height: 24)
        XCTAssertEqual(effects, [.listBuckets])
        XCTAssertTrue(s.isBusy)
        XCTAssertTrue(Renderer.render(s).text.contains("[busy]"))
        _ = s.reduce(.bucketsListed(.success([.bucket(name: "site", created: 0)])))
        XCTAssertFalse(s.isBusy)
        XCTAssertTrue(Renderer.render(s).text.contains("[idle]"))
        // A profile switch starts over at the bucket list: busy again until its answer.
        XCTAssertTrue(s.restartAtBucketList().contains(.listBuckets))
        XCTAssertTrue(s.isBusy)
        XCTAssertTrue(Renderer.render(s).text.contains("[busy]"))
        _ = s.reduce(.bucketsListed(.failure(BrowserError("Access Denied"))))
        XCTAssertFalse(s.isBusy)
    }
}
