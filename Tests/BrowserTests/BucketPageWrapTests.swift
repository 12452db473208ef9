import XCTest
import Operations
@testable import Browser

/// The bucket page wraps a long line at 80 columns instead of cutting it.
final class BucketPageWrapTests: XCTestCase {
    func testALongLineIsWrappedNotCut() {
        let s = PagesTests.opened(BucketPage.self, width: 80, height: 24)
        let rows = Renderer.render(s).text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertFalse(rows.contains { $0.hasSuffix("…") }, rows.joined(separator: "\n"))
        let joined = rows.joined(separator: " ")
        let ownership = "object ownership: not set (OwnershipControlsNotFoundError; ACLs apply as before 2023)"
        XCTAssertTrue(joined.contains(ownership), joined)
    }
}
