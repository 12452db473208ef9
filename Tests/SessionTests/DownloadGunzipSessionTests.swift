import Browser
import Foundation
import Operations
import S3
import TestSupport
import XCTest

/// The download prompt's ^G: objects stored gzip-encoded are written decoded (as `cp --gunzip`
/// does) or as stored, and the download's summary says which.
final class DownloadGunzipSessionTests: XCTestCase {
    static let plain = Data("body { color: red }\n".utf8)
    /// gzip of `plain` (mtime 0).
    static let stored = Data([
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0xca, 0x4f, 0xa9, 0x54, 0xa8, 0x56, 0x48,
        0xce, 0xcf, 0xc9, 0x2f, 0xb2, 0x52, 0x28, 0x4a, 0x4d, 0x51, 0xa8, 0xe5, 0x02, 0x00, 0x96, 0x24, 0xd3, 0x5e,
        0x14, 0x00, 0x00, 0x00,
    ])
    /// A multipart-style ETag: not an MD5, so the scripted body needs none.
    static let etag = "0123456789abcdef0123456789abcdef-1"

    /// `site` holding static/app.css, stored gzip-encoded (`body` is what a GET of it sends).
    func transport(body: Data = stored) -> ScriptedTransport {
        let t = ScriptedTransport()
        let object = S3Answers.Object("static/app.css", size: Int64(body.count), etag: Self.etag)
        t.on("GET", path: "/site", having: ["list-type"]) { r in
            let prefix = r.queryValue("prefix") ?? ""
            if r.queryValue("delimiter") != nil && prefix.isEmpty {
                return S3Answers.listObjectsV2(bucket: "site", prefix: "", commonPrefixes: ["static/"])
            }
            return S3Answers.listObjectsV2(bucket: "site", prefix: prefix, delimiter: r.queryValue("delimiter"),
                                           objects: [object])
        }
        t.on("HEAD", path: "/site/static/app.css") { _ in
            S3Answers.head(size: Int64(body.count), etag: Self.etag, contentType: "text/css",
                           [("Content-Encoding", "gzip")])
        }
        t.on("GET", path: "/site/static/app.css") { _ in
            HTTPResponse(status: 200, headers: [("Content-Length", String(body.count)), ("ETag", "\"\(Self.etag)\""),
                                                ("Content-Type", "text/css"), ("Content-Encoding", "gzip")],
                         body: body)
        }
        return t
    }

    /// Downloads static/ into a new folder, ^G pressed `toggles` times; returns the folder
    /// once the download's summary is on the status line.
    func download(_ d: BrowserDriver, toggles: Int) throws -> String {
        let folder = try SiteFixture.folder()
        d.runUntilIdle()
        d.press(.char("D"))
        XCTAssertTrue(d.text.contains("download 1 item to folder:"), d.text)
        XCTAssertTrue(d.text.contains("^G gzip'ed: as stored"), d.text)
        for _ in 0..<toggles { d.press(.ctrl("g")) }
        d.type(folder)
        d.press(.enter)
        let ended = d.runUntil { $0.status?.text.hasPrefix("downloaded") == true }
        XCTAssertTrue(ended, d.text)
        return folder
    }

    func testCtrlGWritesObjectsStoredGzipEncodedDecodedAndTheSummarySaysSo() throws {
        let d = BrowserDriver(bucket: "site", prefix: "static/", width: 120, height: 40, transport: transport())
        d.runUntilIdle()
        d.press(.char("D"))
        d.press(.ctrl("g"))
        XCTAssertTrue(d.text.contains("^G gzip'ed: decoded"), "the footer shows the choice: " + d.text)
        d.press(.escape)
        let folder = try download(d, toggles: 1)
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/static/app.css"), Self.plain)
        let status = try XCTUnwrap(d.state.status?.text)
        XCTAssertTrue(status.contains("downloaded 1 file, 40 B, to \(folder)"), status)
        XCTAssertTrue(status.contains("1 object stored gzip-encoded, written decoded"), status)
        // Only the decoded file is left: no temporary, no compressed copy beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/static"), ["app.css"])
    }

    func testWithoutCtrlGTheStoredBytesAreWrittenAndTheSummarySaysHowToDecode() throws {
        let d = BrowserDriver(bucket: "site", prefix: "static/", width: 120, height: 40, transport: transport())
        let folder = try download(d, toggles: 0)
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/static/app.css"), Self.stored)
        let status = try XCTUnwrap(d.state.status?.text)
        XCTAssertTrue(status.contains("1 object stored gzip-encoded, written as stored, compressed (^G in the prompt "
                                      + "decodes)"), status)
    }

    func testACorruptGzipStreamLeavesNothingAtTheFinalPath() throws {
        var corrupt = Self.stored
        corrupt[20] ^= 0xff
        let d = BrowserDriver(bucket: "site", prefix: "static/", width: 120, height: 40,
                              transport: transport(body: corrupt))
        let folder = try download(d, toggles: 1)
        let status = try XCTUnwrap(d.state.status?.text)
        XCTAssertTrue(status.contains("downloaded 0 files") && status.contains("1 failed"), status)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/static"), [],
                       "neither the stored bytes nor a partial decoded file")
    }
}
