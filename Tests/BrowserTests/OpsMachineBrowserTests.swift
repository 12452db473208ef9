import Foundation
import XCTest
@testable import Browser
@testable import Operations
@testable import S3

/// Issue 15 in the browser: `[keys]` remaps the tree, `m`/`'` bookmarks, `[colors]` and
/// NO_COLOR in the renderer's styles.
final class OpsMachineBrowserTests: XCTestCase {
    private func config(_ text: String) throws -> PailConfig {
        try PailConfig.parse(AWSConfigFile(path: "/home/ops/.config/pail/config", text: text))
    }

    // MARK: [keys]

    func testARemappedKeyWorksTheOldOneNoLongerDoesAndHelpShowsTheNewKey() throws {
        let overrides = try Keymap.remap(try config("[keys]\ndelete = x\ntransfers = T\n").keys)
        XCTAssertEqual(overrides.pages, ["tree": [.delete: [.char("x")], .transfers: [.char("T")]]])
        var d = PagesTests.site(width: 80, height: 24)
        d.state.keyOverrides = overrides
        // d no longer deletes: the tree takes no d at all.
        let before = d.state.pages.count
        XCTAssertTrue(d.keys(.char("d")).isEmpty)
        XCTAssertEqual(d.state.pages.count, before)
        // x does: the delete is planned for the marked object.
        let planned = d.keys(.char("x"))
        XCTAssertTrue(planned.contains { if case .planDelete = $0 { return true } else { return false } }, "\(planned)")
        d.keys(.escape)
        d.state.pages.removeLast(d.state.pages.count - 1)
        // The help is made from the bindings: it names x for delete, and no longer d.
        d.keys(.char("?"))
        d.send(.resize(width: 160, height: 60))
        let help = d.text
        XCTAssertTrue(help.split(separator: "\n").contains { $0.contains("x ") && $0.contains("Delete the marked") },
                      help)
        XCTAssertFalse(help.split(separator: "\n").contains { $0.contains("d Del") }, help)
        XCTAssertTrue(help.split(separator: "\n").contains { $0.contains("T ") && $0.contains("transfers panel") },
                      help)
        // The footer too.
        d.keys(.escape)
        XCTAssertTrue(d.text.split(separator: "\n").last?.contains("x delete") == true, d.text)
    }

    func testKeysOfTheFileAreCheckedWithTheirLine() throws {
        XCTAssertThrowsError(try Keymap.remap(try config("[keys]\n\nerase = x\n").keys)) { e in
            XCTAssertTrue("\(e)".contains("/home/ops/.config/pail/config:3: [keys] unknown action \"erase\""), "\(e)")
        }
        // x is the new key of delete and the key of quit... no: q is quit's; clash with j (down).
        XCTAssertThrowsError(try Keymap.remap(try config("[keys]\ndelete = j\n").keys)) { e in
            XCTAssertTrue("\(e)".contains(":2: [keys] \"j\" is bound to both "), "\(e)")
        }
        // ? opens the help on every page: no tree key can take it.
        XCTAssertThrowsError(try Keymap.remap(try config("[keys]\nquit = ?\n").keys)) { e in
            XCTAssertTrue("\(e)".contains(":2: [keys] \"?\" is bound to both quit and help"), "\(e)")
        }
        XCTAssertEqual(try Keymap.remap(try config("[keys]\npage_up = ctrl-u PgUp\n").keys),
                       KeyRemap(pages: ["tree": [.pageUp: [.ctrl("u"), .pageUp]]],
                                treeDefaults: [.pageUp: [.pageUp, .ctrl("b")]]))
    }

    // MARK: Bookmarks

    func testMThenALetterSavesThePlaceAndQuoteThenTheLetterGoesBack() {
        var d = PagesTests.site(width: 80, height: 24)
        // The cursor is in media/ (on a.jpg).
        let saved = d.keys(.char("m"), .char("a"))
        XCTAssertEqual(saved.compactMap { e -> String? in
            if case .saveBookmark(_, let name, let uri) = e { return "\(name)=\(uri)" } else { return nil }
        }, ["a=s3://site/media/"])
        d.send(.bookmarkSaved(id: d.lastID, name: "a", uri: "s3://site/media/", error: nil))
        XCTAssertEqual(d.state.status?.text, "bookmark a saved: s3://site/media/ (' a goes there)")
        XCTAssertEqual(d.state.bookmarks, ["a": "s3://site/media/"])
        // Away (media/ closed, the cursor in site/), then back.
        d.keys(.char("h"), .char("h"))
        XCTAssertEqual(d.state.currentLocation, NodeID(bucket: "site", prefix: ""))
        d.keys(.char("'"), .char("a"))
        XCTAssertEqual(d.state.status?.text, "bookmark a: s3://site/media/")
        XCTAssertEqual(d.state.currentLocation, NodeID(bucket: "site", prefix: "media/"), d.text)
        // ' and a letter that is no bookmark says which there are.
        d.keys(.char("'"))
        XCTAssertTrue(d.text.contains("go to bookmark: press its letter (a)"), d.text)
        d.keys(.char("z"))
        XCTAssertEqual(d.state.status?.text, "no bookmark z (bookmarks: a)")
        XCTAssertTrue(d.state.pages.count == 1)
    }

    func testASaveThatFailsSaysWhyAndKeepsNoBookmark() {
        var d = PagesTests.site(width: 80, height: 24)
        d.keys(.char("m"), .char("b"))
        d.send(.bookmarkSaved(id: d.lastID, name: "b", uri: "s3://site/media/",
                              error: BrowserError("/home/ops/.config/pail/config belongs to another user")))
        XCTAssertEqual(d.state.status?.text,
                       "cannot save bookmark b: /home/ops/.config/pail/config belongs to another user")
        XCTAssertTrue(d.state.bookmarks.isEmpty)
    }

    // MARK: Profiles

    func testPIsRefusedWhileTransfersRun() {
        var d = PagesTests.site(width: 80, height: 24)
        d.send(.transfersUpdated([TransferRow(id: 1, direction: .download, name: "/tmp/a.jpg", size: 10,
                                              transferred: 1, state: .running, rate: 0)]))
        XCTAssertTrue(d.keys(.char("P")).isEmpty)
        XCTAssertEqual(d.state.status?.text,
                       "P is disabled: 1 transfer running (a switch would cut them off; wait, or cancel them in t)")
    }

    // MARK: Colours

    func testTheStyleGridInDefaultCustomAndNoColorSchemes() throws {
        var d = PagesTests.site(width: 60, height: 12)
        d.keys(.down)
        let screen = Renderer.render(d.state)
        let plain = Palette(scheme: ColorScheme(), colors: 256, environment: [:])
        assertTextSnapshot(plain.styleGrid(screen), named: "styles-default-60x12")
        let custom = try config("[colors]\ntitle = 231 on 24 bold\nprefix = bright_magenta\nselected = black on 214\n")
        let scheme256 = Palette(scheme: custom.colors, colors: 256, environment: [:])
        assertTextSnapshot(scheme256.styleGrid(screen), named: "styles-custom-256-60x12")
        // The same scheme on a 16- and an 8-colour terminal: the nearest colours there.
        XCTAssertEqual(Palette(scheme: custom.colors, colors: 16, environment: [:]).look(.title).description,
                       "bright_white on cyan, bold")
        XCTAssertEqual(Palette(scheme: custom.colors, colors: 8, environment: [:]).look(.prefix).description,
                       "magenta")
        let none = Palette(scheme: custom.colors, colors: 256, environment: ["NO_COLOR": "1"])
        assertTextSnapshot(none.styleGrid(screen), named: "styles-no-color-60x12")
        XCTAssertEqual(Palette(scheme: custom.colors, colors: 0, environment: [:]), none, "monochrome = NO_COLOR")
    }
}

/// A text kept next to the tests, as `assertSnapshot` keeps screens (PAIL_RECORD_SNAPSHOTS=1 records).
private func assertTextSnapshot(_ text: String, named name: String, file: StaticString = #filePath,
                                line: UInt = #line) {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
        .appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["PAIL_RECORD_SNAPSHOTS"] != nil {
        try? (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return XCTFail("no snapshot \(url.path); run with PAIL_RECORD_SNAPSHOTS=1 to record it", file: file, line: line)
    }
    XCTAssertEqual(text + "\n", expected, "snapshot \(name) differs", file: file, line: line)
}
