import Foundation
import XCTest
@testable import Browser
@testable import Operations
@testable import S3

/// `[keys]` on every page: `page.action = key` moves a page's key, a bare action the tree's
/// (and the same keys of other pages with it); help and footer follow; wrong lines stop pail.
final class KeyRemapTests: XCTestCase {
    private func remap(_ text: String) throws -> KeyRemap {
        try Keymap.remap(try PailConfig.parse(AWSConfigFile(path: "/home/ops/.config/pail/config", text: text)).keys)
    }

    private func failure(_ text: String) -> String {
        do {
            _ = try remap(text)
            return ""
        } catch { return "\(error)" }
    }

    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

    private func isRetry(_ e: BrowserEffect) -> Bool { if case .retryEdit = e { return true } else { return false } }
    private func isPlanDelete(_ e: BrowserEffect) -> Bool {
        if case .planDelete = e { return true } else { return false }
    }

    /// The report over the tree, with the file's keys.
    private func report(_ keys: KeyRemap) -> Driver {
        var d = PagesTests.site(width: 80, height: 24)
        d.state.keyOverrides = keys
        d.state.pages.append(ReportPage.example(in: &d.state))
        return d
    }

    func testAPageActionMovesOnThatPageWithItsHelpAndFooter() throws {
        let keys = try remap("[keys]\nreport.retry = r\n")
        XCTAssertEqual(keys.pages, ["report": [.retry: [.char("r")]]])
        // R no longer retries: it is any other key now, which closes the report.
        var d = report(keys)
        XCTAssertFalse(d.keys(.char("R")).contains(where: isRetry))
        XCTAssertFalse(d.state.topPage is ReportPage)
        // r does.
        d = report(keys)
        XCTAssertTrue(lines(d.text).last?.contains("r retry") == true, d.text)
        XCTAssertFalse(lines(d.text).last?.contains("R retry") == true, d.text)
        XCTAssertTrue(d.keys(.char("r")).contains(where: isRetry))
        // The report's help lists r for the retry.
        d = report(keys)
        d.keys(.char("?"))
        XCTAssertTrue(d.state.topPage is HelpPage)
        XCTAssertTrue(lines(d.text).contains { $0.contains("  r ") && $0.contains("Retry the failed") }, d.text)
        XCTAssertFalse(lines(d.text).contains { $0.contains("  R ") && $0.contains("Retry the failed") }, d.text)
        // The tree's r is the tree's still: the line named the report only.
        XCTAssertNil(keys.pages["tree"])
    }

    func testTheHelpPageItselfTakesItsKeysFromTheFile() throws {
        var d = PagesTests.site(width: 80, height: 10)
        d.state.keyOverrides = try remap("[keys]\nhelp.down = n\n")
        d.keys(.char("?"))
        XCTAssertTrue(lines(d.text).last?.contains("n scroll") == true, d.text)
        d.keys(.char("n"))
        XCTAssertEqual((d.state.topPage as? HelpPage)?.scroll, 1)
        // j is any other key on the help now: it closes it.
        d.keys(.char("j"))
        XCTAssertFalse(d.state.topPage is HelpPage)
    }

    func testATreeMoveFollowsOnPagesWithTheTreesKeysUnlessTakenThere() throws {
        let keys = try remap("[keys]\ndelete = x\nquit = Q\n")
        var d = PagesTests.site(width: 100, height: 24)
        d.state.keyOverrides = keys
        d.state.pages.append(FindPage.example(in: &d.state))
        // The find results' d/Delete were the tree's keys for delete: x deletes there too.
        XCTAssertTrue(lines(d.text).last?.contains("x delete") == true, d.text)
        XCTAssertFalse(d.keys(.char("d")).contains(where: isPlanDelete))
        XCTAssertTrue(d.keys(.char("x")).contains(where: isPlanDelete))
        // On the transfers panel x cancels a transfer: quit follows there (q → Q), the delete
        // has nothing to follow, and x stays the panel's.
        let transfers = KeyRemap.pageName(TransfersPage.name)
        let moved = try remap("[keys]\nquit = x\n")
        let panel = moved.apply(to: TransfersPage().bindings(in: d.state), page: TransfersPage.name)
        XCTAssertEqual(panel.first { $0.action == .quit }?.keys, [.char("q")], "x is the panel's cancel")
        XCTAssertEqual(panel.first { $0.action == .cancelTransfer }?.keys, [.char("x"), .delete])
        XCTAssertEqual(transfers, "transfers")
        let help = keys.apply(to: HelpPage(for: TreePage(), in: d.state).bindings(in: d.state), page: HelpPage.name)
        XCTAssertEqual(help.first { $0.action == .quit }?.keys, [.char("Q")], "the help's q was the tree's")
    }

    /// Every page of the registry, every action with keys of its own: a line moving it to F12
    /// passes the check, F12 does it, its old keys no longer do, and its help and footer say F12.
    func testEveryActionOfEveryPageCanBeMoved() throws {
        for type in PageRegistry.all {
            var state = BrowserState(width: 200, height: 120)
            let page = example(type, in: &state)
            let name = KeyRemap.pageName(type.name)
            for b in page.bindings(in: state) where !b.keys.isEmpty {
                let line = "\(name).\(b.action) = F12"
                state.keyOverrides = try remap("[keys]\n\(line)\n")
                let moved = page.resolvedBindings(in: state)
                XCTAssertEqual(Keymap.binding(for: .function(12), in: moved)?.action, b.action, line)
                for k in b.keys { XCTAssertNotEqual(Keymap.binding(for: k, in: moved)?.action, b.action, line) }
                let help = HelpPage(for: page, in: state).lines
                XCTAssertTrue(help.contains { $0.0 == "F12" && $0.1.hasPrefix(b.description) }, line)
                // (The jump's footer lists the completions instead, in its example.)
                if let label = b.footer, page.footer(state).contains(where: { $0.label.hasSuffix(label) }) {
                    let footer = page.resolvedFooter(state)
                    XCTAssertTrue(footer.contains { $0.keys == "F12" && $0.label.hasSuffix(label) },
                                  "\(line) \(footer)")
                }
            }
        }
    }

    private func example<P: Page>(_ type: P.Type, in state: inout BrowserState) -> any Page {
        type.example(in: &state)
    }

    func testWrongLinesForPagesAreOneLineWithTheFileAndLine() {
        let path = "/home/ops/.config/pail/config"
        let page = failure("[keys]\ndelete = x\nnope.retry = r\n")
        XCTAssertTrue(page.hasPrefix("\(path):3: [keys] unknown page \"nope\" in \"nope.retry\"; pages are audit, "),
                      page)
        XCTAssertTrue(page.contains("report") && page.contains("url_menu"), page)
        XCTAssertEqual(failure("[keys]\nreport.fly = f\n"),
                       "\(path):2: [keys] unknown action \"report.fly\"; the Report page's actions are "
                           + "invalidateCDN, retry")
        // Two actions on one key of a page, the file's or the page's own.
        XCTAssertEqual(failure("[keys]\ntransfers.cancel_transfer = j\n"),
                       "\(path):2: [keys] \"j\" is bound to both transfers.cancelTransfer and transfers.down "
                           + "on the Transfers page; give transfers.down another key in [keys] too")
        XCTAssertEqual(failure("[keys]\nhelp.down = n\nhelp.up = n\n"),
                       "\(path):3: [keys] \"n\" is bound to both help.down and help.up on the Help page")
        // ^C and ? are taken above every page.
        XCTAssertEqual(failure("[keys]\nurl_menu.cancel = ctrl-c\n"),
                       "\(path):2: [keys] \"ctrl-c\" is bound to both url_menu.cancel and interrupt "
                           + "on the URL menu page; interrupt keeps that key")
        // A character on a page that takes typed text would no longer be typed.
        XCTAssertEqual(failure("[keys]\nfilter.confirm = x\n"),
                       "\(path):2: [keys] \"x\" is typed text on the Filter page; give filter.confirm a key "
                           + "that is not typed (enter, esc, tab, ctrl-x, F2)")
        XCTAssertTrue(failure("[keys]\nurl_menu.cancel = 3\n").contains("\"3\" is a digit on the URL menu page"))
        XCTAssertTrue(failure("[keys]\nreport.retry = r\nReport.Retry = t\n")
            .hasSuffix(":3: [keys] report.retry is set twice (also on line 2)"))
        // The page part is spelt as the action is: url-menu, urlMenu and url_menu are one page.
        XCTAssertEqual(try remap("[keys]\nurlMenu.cancel = x\n").pages["url_menu"], [.cancel: [.char("x")]])
        XCTAssertEqual(try remap("[keys]\ntree.delete = x\n").pages["tree"], [.delete: [.char("x")]])
        // The README's lines.
        XCTAssertNoThrow(try remap("[keys]\ndelete = x\ndown = j down\nreport.retry = r\nhelp.down = n\n"
                                       + "preview.down = n\ntransfers.cancel_transfer = K\nurl_menu.cancel = x\n"
                                       + "find.delete = X\n"))
    }
}
