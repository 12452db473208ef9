import Foundation
import XCTest

@testable import Operations
@testable import S3

final class BookmarkStoreTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "pail-bookmarks-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testRoundTripKeepsEveryOtherByte() throws {
        let path = folder + "/config"
        let original = """
            # pail's settings; keep this comment
            [bucket site]
            cdn_domain = cdn.example.com   

            [bookmarks]
            ; the media folder
            m = s3://site/media/
            logs = s3://logs

            # next: uploads
            [upload static/**]
            cache_control = public, max-age=31536000
            """
        try original.write(toFile: path, atomically: false, encoding: .utf8)
        let store = BookmarkStore(path: path)
        try store.save(Bookmark(name: "s", uri: "s3://site/static/"))
        XCTAssertEqual(
            try text(path),
            original.replacingOccurrences(
                of: "logs = s3://logs\n",
                with: "logs = s3://logs\ns = s3://site/static/\n"))
        try store.save(Bookmark(name: "m", uri: "s3://site/media/2024/"))
        let moved = try text(path)
        XCTAssertTrue(moved.contains("; the media folder\nm = s3://site/media/2024/\nlogs"), moved)
        XCTAssertTrue(try store.remove(named: "s"))
        XCTAssertFalse(try store.remove(named: "s"), "gone already")
        try store.save(Bookmark(name: "m", uri: "s3://site/media/"))
        XCTAssertEqual(try text(path), original, "back to the very same bytes, comments and trailing spaces included")
        XCTAssertEqual(try store.list().map(\.name), ["m", "logs"])
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o077, 0, "written through a private temporary file")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "config" }
        XCTAssertEqual(leftovers, [], "no temporary file left behind")
    }

    func testNewFileSectionAndCRLF() throws {
        let path = folder + "/sub/pail/config"
        let store = BookmarkStore(path: path)
        try store.save(Bookmark(name: "a", uri: "s3://b/p/"))
        XCTAssertEqual(try text(path), "[bookmarks]\na = s3://b/p/\n")
        let crlf = folder + "/crlf"
        let commented = folder + "/commented"
        try "[bookmarks]   # mine\na = s3://b\n".write(toFile: commented, atomically: false, encoding: .utf8)
        try BookmarkStore(path: commented).save(Bookmark(name: "c", uri: "s3://c"))
        XCTAssertEqual(try text(commented), "[bookmarks]   # mine\na = s3://b\nc = s3://c\n")
        try "[bucket x]\r\nread_only = true".write(toFile: crlf, atomically: false, encoding: .utf8)
        try BookmarkStore(path: crlf).save(Bookmark(name: "a", uri: "s3://b"))
        XCTAssertEqual(try text(crlf), "[bucket x]\r\nread_only = true\r\n\r\n[bookmarks]\r\na = s3://b\r\n")
    }

    func testABrokenFileIsNotEdited() throws {
        let path = folder + "/config"
        try "[bucket x]\nurl_form = pigeon\n".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try BookmarkStore(path: path).save(Bookmark(name: "a", uri: "s3://b"))) {
            XCTAssertTrue("\($0)".contains(":2:") && "\($0)".contains("fix the file first"), "\($0)")
        }
        XCTAssertEqual(try text(path), "[bucket x]\nurl_form = pigeon\n")
    }

    /// A linked configuration file (dotfiles) is edited where it points; the link stays.
    /// A link to something that is not a regular file, or to nothing, is refused.
    func testSymlinkedConfigIsEditedAtItsTargetAndLinksElsewhereAreRefused() throws {
        let dotfiles = folder + "/dotfiles"
        try FileManager.default.createDirectory(atPath: dotfiles, withIntermediateDirectories: true)
        try "# mine\n".write(toFile: dotfiles + "/pail.ini", atomically: false, encoding: .utf8)
        let link = folder + "/config"
        XCTAssertEqual(symlink(dotfiles + "/pail.ini", link), 0)
        try BookmarkStore(path: link).save(Bookmark(name: "a", uri: "s3://b"))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), dotfiles + "/pail.ini")
        XCTAssertEqual(try text(dotfiles + "/pail.ini"), "# mine\n\n[bookmarks]\na = s3://b\n")
        let toFolder = folder + "/to-folder"
        XCTAssertEqual(symlink(dotfiles, toFolder), 0)
        XCTAssertThrowsError(try BookmarkStore(path: toFolder).save(Bookmark(name: "a", uri: "s3://b"))) {
            XCTAssertTrue("\($0)".contains("is not a regular file"), "\($0)")
        }
        let dangling = folder + "/dangling"
        XCTAssertEqual(symlink(folder + "/nothing-here", dangling), 0)
        XCTAssertThrowsError(try BookmarkStore(path: dangling).save(Bookmark(name: "a", uri: "s3://b"))) {
            XCTAssertTrue("\($0)".contains("is a link to nothing"), "\($0)")
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder + "/nothing-here"), "nothing created at the far end")
    }

    /// Others' files: as root the test makes one; a bookmark is never written into it.
    func testAFileOfAnotherUserIsRefused() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to give a file to another user") }
        let path = folder + "/config"
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(chown(path, 65534, 65534), 0)
        XCTAssertThrowsError(try BookmarkStore(path: path).save(Bookmark(name: "a", uri: "s3://b"))) {
            XCTAssertTrue("\($0)".contains("belongs to another user"), "\($0)")
        }
    }

    /// Writers in parallel, each with its own store: every bookmark survives, because each
    /// reads the file afresh under the folder's lock before writing it.
    func testConcurrentSavesLoseNothing() throws {
        let path = folder + "/config"
        try "# shared\n[bucket x]\nread_only = false\n".write(toFile: path, atomically: false, encoding: .utf8)
        let count = 40
        let errors = ErrorList()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do { try BookmarkStore(path: path).save(Bookmark(name: "b\(i)", uri: "s3://bucket/p\(i)/")) } catch {
                errors.add("\(error)")
            }
        }
        XCTAssertEqual(errors.all, [])
        let names = Set(try BookmarkStore(path: path).list().map(\.name))
        XCTAssertEqual(names, Set((0..<count).map { "b\($0)" }))
        XCTAssertTrue(try text(path).hasPrefix("# shared\n[bucket x]\nread_only = false\n"))
    }
}

private final class ErrorList: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var all: [String] { lock.withLock { items } }
}
