import XCTest
import Operations
@testable import Browser

/// Every page, walked key by key: a key does something on a page only through one of its
/// bindings, every binding does something, and each page's screen is kept as a snapshot.
final class PagesTests: XCTestCase {
    /// A bucket with a level open, the cursor on an object whose headers arrived, one mark.
    static func site(width: Int, height: Int) -> Driver {
        var d = Driver(bucket: "site", prefix: "", width: width, height: height)
        let site = NodeID(bucket: "site", prefix: "")
        d.answer(site, prefixes: ["media/", "static/"], objects: [obj("robots.txt", 24)])
        d.keys(.enter)
        d.answer(NodeID(bucket: "site", prefix: "media/"), prefixes: ["uploads/"], objects: [
            obj("a.jpg", 2048, 1), obj("b.jpg", 6, 2), obj("c.jpg", 123_456, 3), obj("d.jpg", 5_000_000, 4),
        ])
        d.keys(.down)
        d.send(.headTimerFired(bucket: "site", key: "media/a.jpg"))
        d.send(.headed(id: d.lastID, bucket: "site", key: "media/a.jpg", .success([
            DetailRow("Content-Type", "image/jpeg"), DetailRow("Cache-Control", "public, max-age=31536000, immutable"),
            DetailRow("meta owner", "alice"),
        ])))
        d.keys(.char(" "), .up)
        return d
    }

    /// The site with `type`'s example page open over the tree, drawn once.
    static func opened(_ type: any Page.Type, width: Int = 80, height: Int = 24) -> BrowserState {
        var s = site(width: width, height: height).state
        let page = type.example(in: &s)
        if !(page is TreePage) { s.pages.append(page) }
        s.settle()
        s.framePresented()
        return s
    }

    /// What a key could change: the screen (its styles too), the pages, the status.
    static func look(_ s: BrowserState) -> (Screen, String) {
        (Renderer.render(s), "\(s.pages.map { "\(type(of: $0))" })\n\(s.status?.text ?? "")")
    }

    /// Presses `key` on `state`: whether anything changed or was asked for.
    static func acts(_ key: Key, on state: BrowserState) -> Bool {
        var s = state
        let effects = s.reduce(.key(key)) + s.settle()
        return !effects.isEmpty || look(s) != look(state)
    }

    func testEveryKeyAPageTakesIsInItsBindingsAndEveryBindingDoesSomething() {
        for type in PageRegistry.all {
            let s0 = Self.opened(type)
            XCTAssertTrue(Swift.type(of: s0.topPage) == type, "\(type.name) is on top")
            let bindings = s0.topPage.bindings(in: s0)
            let globals = Keymap.globals(typing: s0.topPage.takesTyping(in: s0))
            let pageKeys = Keymap.allKeys.filter {
                Keymap.binding(for: $0, in: globals) == nil || s0.topPage is HelpPage
            }
            for key in pageKeys where Keymap.binding(for: key, in: bindings) == nil {
                XCTAssertFalse(Self.acts(key, on: s0), "\(type.name): \(key.label) is in no binding but acts")
            }
            // The states a binding is tried in: as opened, and after two moves down (so that
            // up, home and page up have somewhere to go).
            var moved = s0
            for _ in 0..<2 where Keymap.binding(for: .down, in: bindings)?.group == nil {
                _ = moved.reduce(.key(.down))
                moved.framePresented()
            }
            var seen = Set<Key>()
            for b in bindings {
                for k in b.keys {
                    XCTAssertTrue(seen.insert(k).inserted, "\(type.name): \(k.label) bound twice")
                    XCTAssertEqual(Keymap.binding(for: k, in: bindings)?.action, b.action, "\(type.name): \(k.label)")
                    XCTAssertNil(Keymap.binding(for: k, in: globals), "\(type.name): \(k.label) is a global key too")
                }
                let grouped = b.group.map { g in
                    pageKeys.filter { g.takes($0) && Keymap.binding(for: $0, in: bindings)?.action == b.action }
                } ?? []
                if b.group != nil { XCTAssertFalse(grouped.isEmpty, "\(type.name): \(b.label) takes no key") }
                let tried = b.keys + grouped.prefix(4)
                let acts = tried.contains { k in Self.acts(k, on: s0) || Self.acts(k, on: moved) }
                XCTAssertTrue(acts, "\(type.name): \(b.label) (\(b.action)) does nothing")
            }
        }
    }

    func testHelpIsThatOfTheOpenPageAndListsItsBindings() {
        for type in PageRegistry.all where type != HelpPage.self {
            var s = Self.opened(type, width: 120, height: 60)
            let bindings = s.topPage.bindings(in: s)
            let key: Key = s.topPage.takesTyping(in: s) ? .function(1) : .char("?")
            _ = s.reduce(.key(key))
            guard let help = s.page(HelpPage.self) else { XCTFail("\(type.name): no help"); continue }
            XCTAssertEqual(help.lines.first?.1, "\(type.name) keys (this list is generated from pail's keymap)")
            for b in bindings { XCTAssertTrue(help.lines.contains { $0.0 == b.label }, "\(type.name): \(b.label)") }
            XCTAssertTrue(help.lines.contains { $0.0 == "^C" }, "the shared keys are listed too")
            _ = s.reduce(.key(.char("x")))
            XCTAssertTrue(Swift.type(of: s.topPage) == type, "any key goes back to \(type.name)")
        }
    }

    func testEveryPageSnapshot() {
        for type in PageRegistry.all {
            for (w, h) in [(80, 24), (120, 40)] {
                let name = "page-" + type.name.lowercased().replacingOccurrences(of: " ", with: "-") + "-\(w)x\(h)"
                assertSnapshot(Renderer.render(Self.opened(type, width: w, height: h)), named: name)
            }
        }
        assertSnapshot(Renderer.render(Self.opened(DeleteConfirmationPage.self, width: 40, height: 10)),
                       named: "page-delete-confirmation-40x10")
    }

    /// A key that changes what is shown (Tab: the details pane, the audit's rules) is named on
    /// the footer at 80x24 too: nothing else on the screen says how to get rid of a pane.
    func testEveryFooterAt80ColumnsNamesTheKeysThatChangeWhatIsShown() {
        for type in PageRegistry.all {
            let s = Self.opened(type)
            let footer = Renderer.render(s).text.split(separator: "\n", omittingEmptySubsequences: false)
                .last(where: { !$0.isEmpty }) ?? ""
            for item in s.topPage.resolvedFooter(s) where item.keeps {
                XCTAssertTrue(footer.contains(item.keys + " " + item.label),
                              "\(type.name): \(item.keys) \(item.label) is not on the footer: \(footer)")
            }
        }
    }
}
