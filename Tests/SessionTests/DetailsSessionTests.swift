import Browser
import Foundation
import S3
import TestSupport
import XCTest

final class DetailsSessionTests: XCTestCase {
    func testTheDetailsPaneShowsTheRowsOfTheHEADAnswer() throws {
        let t = ScriptedTransport()
        t.on("GET", path: "/site", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "site", prefix: "", objects: [.init("app.js"), .init("plain.txt")])
        }
        t.on("HEAD", path: "/site/app.js") { _ in
            S3Answers.head(size: 1_234_567, etag: "9b2cf535f27731c974343645a3985328", contentType: "text/javascript", [
                ("Cache-Control", "public, max-age=31536000"), ("Content-Encoding", "gzip"),
                ("Content-Disposition", "inline"), ("x-amz-storage-class", "STANDARD_IA"),
                ("x-amz-server-side-encryption", "AES256"), ("x-amz-version-id", "v-77"),
                ("x-amz-meta-build", "r1234"), ("x-amz-website-redirect-location", "/new.js"),
            ])
        }
        t.on("HEAD", path: "/site/plain.txt") { _ in S3Answers.head(size: 5, contentType: nil) }
        let d = BrowserDriver(bucket: "site", width: 160, height: 40, transport: t)
        d.runUntilIdle()
        func pane() -> [String] {
            d.text.split(separator: "\n").dropFirst().compactMap { line -> String? in
                guard let bar = line.firstIndex(of: "│") else { return nil }
                // Name and value, however wide the name column is drawn.
                let words = line[line.index(after: bar)...].split(separator: " ")
                return words.isEmpty ? nil : words.joined(separator: " ")
            }
        }
        XCTAssertEqual(pane(), [
            "s3://site/app.js",
            "Content-Type text/javascript",
            "Cache-Control public, max-age=31536000 (1 y)",
            "Content-Encoding gzip",
            "Content-Disposition inline",
            "Size 1.2 MiB (1,234,567 B)",
            "Last-Modified 2026-11-01T12:00:00Z",
            "ETag 9b2cf535f27731c974343645a3985328",
            "Storage class STANDARD_IA",
            "Encryption AES256",
            "Version v-77",
            "Redirect /new.js",
            "meta build r1234",
            "Public? unknown (no answer)",
        ], d.text)
        assertSnapshot(d.screen, named: "details-160x40")

        // An object without Cache-Control says so; one without a Content-Type has no such row.
        d.press(.down)
        XCTAssertEqual(Array(pane().prefix(3)), ["s3://site/plain.txt", "Cache-Control (none)", "Size 5 B (5 B)"],
                       d.text)
        XCTAssertEqual(t.requests.filter { $0.method == "HEAD" }.map(\.path), ["/site/app.js", "/site/plain.txt"])
    }
}
