import Browser
import Foundation
import S3
import TestSupport
import XCTest

final class DurationsSessionTests: XCTestCase {
    func testTheDetailsPaneReadsDurationsForPeopleAndMarksAnExpiresInThePast() throws {
        let t = ScriptedTransport()
        t.on("GET", path: "/site", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "site", prefix: "", objects: [.init("old.css"), .init("soon.css")])
        }
        t.on("HEAD", path: "/site/old.css") { _ in
            S3Answers.head(contentType: "text/css", [
                ("Cache-Control", "public, s-maxage=86400, stale-while-revalidate=60"),
                ("Expires", "Mon, 01 Jan 1990 00:00:00 GMT"),
            ])
        }
        t.on("HEAD", path: "/site/soon.css") { _ in
            S3Answers.head(contentType: "text/css", [("Expires", "Fri, 01 Jan 2100 00:00:00 GMT")])
        }
        let d = BrowserDriver(bucket: "site", width: 160, height: 30, transport: t)
        d.runUntilIdle()
        func rows(_ key: String) -> [String: DetailRow] {
            guard case .loaded(let rows)? = d.state.details.first(where: { $0.key.key == key })?.value else {
                return [:]
            }
            return Dictionary(rows.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let old = rows("old.css")
        XCTAssertEqual(old["Cache-Control"]?.value, "public, s-maxage=86400 (1 d), stale-while-revalidate=60 (1 min)")
        // The header editor still starts from the stored value, not the reading.
        XCTAssertEqual(old["Cache-Control"]?.stored?.value, "public, s-maxage=86400, stale-while-revalidate=60")
        let expires = try XCTUnwrap(old["Expires"])
        XCTAssertTrue(expires.value.hasPrefix("Mon, 01 Jan 1990 00:00:00 GMT (in the past ("), expires.value)
        XCTAssertTrue(expires.value.hasSuffix(" ago); max-age applies instead)"), expires.value)
        XCTAssertTrue(expires.isWarning)
        // The past Expires is drawn as a warning, the Cache-Control is not.
        let screen = d.screen
        let lines = d.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func style(of text: String) throws -> CellStyle {
            let row = try XCTUnwrap(lines.firstIndex { $0.contains(text) }, text)
            let column = lines[row].distance(from: lines[row].startIndex, to: lines[row].range(of: text)!.lowerBound)
            return screen.cell(row: row, column: column).style
        }
        XCTAssertEqual(try style(of: "Mon, 01 Jan 1990"), .error)
        XCTAssertEqual(try style(of: "public, s-maxage"), .normal)

        d.press(.down)
        let soon = try XCTUnwrap(rows("soon.css")["Expires"])
        XCTAssertTrue(soon.value.hasPrefix("Fri, 01 Jan 2100 00:00:00 GMT (in "), soon.value)
        XCTAssertFalse(soon.isWarning)
    }
}
