import Foundation
import XCTest
@testable import Operations
import S3

/// The browser's find prompt reads `pail find`'s options from one line, through the code the
/// command line uses.
final class FindCriteriaLineTests: XCTestCase {
    func testTheLineTakesTheCommandLineOptionsAndABarePattern() throws {
        let c = try ObjectCriteria.parse(line: "'my photo*.jpg' --larger=1M --smaller 2G --older 30d --newer=1y "
                                         + "--storage-class GLACIER --regex \"^media/20[0-9]{2}/\"")
        XCTAssertEqual(c.name, "my photo*.jpg")
        XCTAssertEqual(c.largerThan, 1_048_576)
        XCTAssertEqual(c.smallerThan, 2_147_483_648)
        XCTAssertEqual(c.olderThan, 30 * 86400)
        XCTAssertEqual(c.newerThan, 31_536_000)
        XCTAssertEqual(c.storageClass, "GLACIER")
        XCTAssertEqual(c.regex, "^media/20[0-9]{2}/")
        XCTAssertEqual(try ObjectCriteria.parse(line: "--name a\\ b.txt").name, "a b.txt")
        XCTAssertNil(try ObjectCriteria.parse(line: "  ").name)
    }

    func testMistakesSayWhatIsWrong() {
        func message(_ line: String) -> String {
            do {
                _ = try ObjectCriteria.parse(line: line)
                return "accepted"
            } catch {
                return String(describing: error)
            }
        }
        XCTAssertTrue(message("--larger lots").contains("\"lots\" is not a size"))
        XCTAssertTrue(message("--older soon").contains("is not a duration"))
        XCTAssertTrue(message("--regex (").contains("is not a regular expression"))
        XCTAssertTrue(message("--bigger 1M").contains("--bigger is not a find option"))
        XCTAssertTrue(message("--larger").contains("--larger needs a value"))
        XCTAssertTrue(message("a.jpg b.jpg").contains("one name pattern only"))
        XCTAssertTrue(message("'open").contains("a quote is not closed"))
        XCTAssertTrue(message("--larger 2M --smaller 1M").contains("leave no size between them"))
    }
}
