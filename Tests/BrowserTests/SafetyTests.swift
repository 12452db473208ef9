import XCTest
import Operations
@testable import Browser

/// Issue 10's browser defects: what is drawn, copied, quit and sent back to S3.
final class SafetyTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")

    func running(_ id: Int = 0, _ state: TransferRow.State = .running) -> TransferRow {
        TransferRow(id: id, direction: .upload, name: "s3://site/big.bin", size: 100, transferred: 10, state: state,
                    rate: 0)
    }

    // MARK: Defect 12: invisible and control characters

    func testInvisibleCharactersAreDrawnEscapedAndRowsStayAligned() {
        var d = Driver(bucket: "site", width: 80, height: 24)
        d.answer(site, objects: [obj("ab.txt", 2048), obj("a\u{200B}b.txt", 2048), obj("\u{FEFF}ab.txt", 2048),
                                 obj("x\u{202E}gpj.exe", 2048), obj("soft\u{00AD}.txt", 2048)])
        let screen = Renderer.render(d.state)
        let text = screen.text
        for drawn in ["a\\u{200b}b.txt", "\\u{feff}ab.txt", "x\\u{202e}gpj.exe", "soft\\xad.txt"] {
            XCTAssertTrue(text.contains(drawn), "\(drawn) drawn escaped:\n\(text)")
        }
        for cell in screen.cells {
            XCTAssertFalse(cell.text.unicodeScalars.contains { TerminalSafe.isUnsafe($0) }, cell.text.debugDescription)
        }
        // Every row ends its size column in the same place: each cell is one column of what is drawn.
        let rows = text.split(separator: "\n").filter { $0.contains("2.0 KiB") }
        XCTAssertEqual(rows.count, 5)
        XCTAssertEqual(Set(rows.map { DisplayWidth.of(String($0)) }).count, 1, "\(rows)")
        XCTAssertEqual(Set(rows.map { $0.replacingOccurrences(of: " ", with: "") }).count, 5,
                       "no two keys look the same")
    }

    func testAKeyWithInvisibleCharactersIsSaidSoInTheDetailsAndTheURLMenu() {
        var d = Driver(bucket: "site", width: 120, height: 30)
        d.answer(site, objects: [obj("a\u{200B}b.txt")])
        d.send(.headTimerFired(bucket: "site", key: "a\u{200B}b.txt"))
        XCTAssertTrue(d.text.contains("key has invisible or control characters"), d.text)
        let effects = d.keys(.char("y"))
        XCTAssertEqual(effects, [.buildURLs(id: d.lastID, bucket: "site", key: "a\u{200B}b.txt")])
        XCTAssertTrue(d.text.contains("key has control or invisible characters: shown escaped, copied percent-encoded"),
                      d.text)
        d.send(.urlsBuilt(id: d.lastID, bucket: "site", key: "a\u{200B}b.txt",
                          [URLChoice(label: "s3 URI", url: "s3://site/a%E2%80%8Bb.txt")]))
        XCTAssertTrue(d.text.contains("1 s3 URI"), d.text)
        XCTAssertTrue(d.text.contains("copied percent-encoded"), "the note stays with the choices")

        var plain = Driver(bucket: "site", width: 120, height: 30)
        plain.answer(site, objects: [obj("ab.txt")])
        plain.keys(.char("y"))
        XCTAssertFalse(plain.text.contains("invisible"), "no note for an ordinary key")
    }

    func testTransferFailureReasonsAndStatusLinesAreEscaped() {
        var d = Driver(bucket: "site", width: 120, height: 30)
        d.answer(site, objects: [obj("a")])
        d.send(.transfersUpdated([running(0, .failed("said \u{1B}]52;c;eA==\u{07}\u{200B}")),
                                  running(1, .skipped("exists\u{1B}[2J"))]))
        d.keys(.char("t"))
        let screen = Renderer.render(d.state)
        XCTAssertTrue(screen.text.contains("failed: said \\x1b]52;c;eA==\\x07\\u{200b}"), screen.text)
        XCTAssertTrue(screen.text.contains("skipped: exists\\x1b[2J"), screen.text)
        for cell in screen.cells { XCTAssertFalse(cell.text.unicodeScalars.contains { TerminalSafe.isUnsafe($0) }) }

        // A refused copy destination stays in the prompt and the footer: escaped there too.
        var c = Driver(bucket: "site", width: 120, height: 30)
        c.answer(site, objects: [obj("a")])
        c.keys(.char("c"), .ctrl("u"))
        c.type("nowhere\u{1B}[31m")
        c.keys(.enter)
        let footer = Renderer.render(c.state)
        for cell in footer.cells { XCTAssertFalse(cell.text.unicodeScalars.contains { TerminalSafe.isUnsafe($0) }) }
        XCTAssertTrue(footer.text.contains("type the destination as s3://bucket/prefix/"), footer.text)
    }

    func testTheGridNeverHoldsAnUnsafeCharacterWhateverTheRendererPassesIt() {
        var screen = Screen(width: 30, height: 1)
        let used = screen.put("a\u{200B}\u{1B}b\\x", row: 0, column: 0, style: .normal)
        XCTAssertEqual(screen.text, "a\\u{200b}\\x1bb\\x")
        XCTAssertEqual(used, DisplayWidth.of(screen.text), "measured as drawn")
    }

    // MARK: Defect 16: ^R starts from the stored value, never the display text

    func testControlRStartsFromTheStoredHeaderNeverFromWhatTheDetailsShow() {
        var d = Driver(bucket: "site", width: 120, height: 30)
        d.answer(site, objects: [obj("a")])
        d.send(.headTimerFired(bucket: "site", key: "a"))
        // As the session builds them: a missing Cache-Control is shown as "(none)" but stores nothing.
        d.send(.headed(id: d.lastID, bucket: "site", key: "a", .success([
            DetailRow("Content-Type", "text/plain", stored: StoredHeader(name: "Content-Type", value: "text/plain")),
            DetailRow("Cache-Control", "(none)"),
            DetailRow("Size", "100 B (100 B)"),
            DetailRow("meta owner", "alice", stored: StoredHeader(name: "x-amz-meta-owner", value: "alice")),
        ])))
        XCTAssertTrue(d.text.contains("(none)"), "the details pane still says so")
        d.keys(.char("e"))
        guard let form = d.state.page(HeaderFormPage.self)?.form else { return XCTFail("no edit form") }
        XCTAssertEqual(form.current[0], nil, "Cache-Control is missing, not \"(none)\"")
        XCTAssertTrue(d.text.contains("(now: not set)"), d.text)
        d.keys(.ctrl("r"))
        XCTAssertEqual(d.keys(.enter), [], "nothing to send: ^R found no value")
        XCTAssertTrue(d.text.contains("nothing to change"), d.text)
        d.keys(.down, .ctrl("r"))
        d.keys(.down, .down, .down, .down, .down, .ctrl("r"))
        guard let filled = d.state.page(HeaderFormPage.self)?.form else { return XCTFail("no edit form") }
        XCTAssertEqual(filled.values[1], "text/plain")
        XCTAssertEqual(filled.values[6], "owner=alice")
        var expected = HeaderChanges()
        expected.setFields[.contentType] = "text/plain"
        expected.setMetadata["owner"] = "alice"
        XCTAssertEqual(filled.changes, expected)
        XCTAssertFalse(filled.changes.setFields.values.contains("(none)"))
    }

    // MARK: Defect 18: presigning and completion are worker effects, and busy until answered

    func testPresigningAndCompletionKeepTheBrowserBusyUntilTheWorkerAnswers() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a")])
        d.answerDetails()  // the title is [busy] until the details debounce has fired and been answered
        XCTAssertFalse(d.state.isBusy)
        d.keys(.char("y"))
        XCTAssertTrue(d.state.isBusy, "URLs are being built (presigned) on a worker")
        d.send(.urlsBuilt(id: d.lastID, bucket: "site", key: "a", [URLChoice(label: "presigned …", url: nil,
                                                                             asksLifetime: true)]))
        XCTAssertFalse(d.state.isBusy)
        d.keys(.enter)
        d.type("2h")
        XCTAssertEqual(d.keys(.enter), [.presign(id: d.lastID, bucket: "site", key: "a", lifetime: "2h")])
        XCTAssertTrue(d.state.isBusy)
        d.send(.presignedReady(id: d.lastID, .failure(BrowserError("no credentials"))))
        XCTAssertFalse(d.state.isBusy)

        d.keys(.char("U"))
        d.type("/tmp/x")
        XCTAssertEqual(d.keys(.tab), [.completePath(id: d.lastID, "/tmp/x")])
        XCTAssertTrue(d.state.isBusy)
        d.type("y")  // typing on while the worker reads the folder: its answer is stale
        d.send(.pathCompletions(id: d.lastID, input: "/tmp/x", candidates: ["/tmp/xa", "/tmp/xb"]))
        XCTAssertFalse(d.state.isBusy)
        XCTAssertEqual(d.state.page(PathPromptPage.self)?.purpose, .upload(bucket: "site", prefix: ""))
        XCTAssertEqual(d.state.page(PathPromptPage.self)?.text, "/tmp/xy")
        XCTAssertEqual(d.state.page(PathPromptPage.self)?.candidates, [])
    }

    // MARK: Defect 19: quitting with transfers running asks first

    func testQuitWithRunningTransfersAsksFirstFromAnyPage() {
        var d = Driver(bucket: "site", width: 100, height: 30)
        d.answer(site, objects: [obj("a")])
        d.send(.transfersUpdated([running(0), running(1, .queued), running(2, .done)]))
        d.keys(.char("t"))
        XCTAssertEqual(d.keys(.char("q")), [], "q in the transfers panel no longer quits at once")
        XCTAssertTrue(d.text.contains("2 transfers are running or queued"), d.text)
        XCTAssertTrue(d.text.contains("y quits and cancels"), d.text)
        XCTAssertEqual(d.keys(.char("n")), [])
        XCTAssertEqual(d.state.page(TransfersPage.self)?.selected, 0, "back where it was asked")
        XCTAssertEqual(d.keys(.char("q")), [])
        XCTAssertEqual(d.keys(.char("y")), [.quit])

        let paths: [[Key]] = [[.ctrl("c")], [.char("q")], [.char("?"), .char("q")], [.char("?"), .ctrl("c")],
                              [.char("/"), .ctrl("c")], [.char("p"), .ctrl("c")]]
        for path in paths {
            var e = Driver(bucket: "site")
            e.answer(site, objects: [obj("a")])
            e.send(.transfersUpdated([running()]))
            var effects: [BrowserEffect] = []
            for k in path { effects += e.keys(k) }
            XCTAssertFalse(effects.contains(.quit), "\(path) asks first")
            XCTAssertEqual(e.state.page(QuitConfirmationPage.self)?.active, 1, "\(path): \(e.state.topPage)")
            XCTAssertEqual(e.keys(.ctrl("c")), [.quit], "a second ^C quits")
        }

        // A batch asked for but not yet in the engine counts as well.
        var p = Driver(bucket: "site")
        p.answer(site, objects: [obj("a")])
        p.keys(.char("D"))
        p.type("/tmp/dest")
        p.keys(.enter)
        XCTAssertEqual(p.keys(.char("q")), [])
        XCTAssertTrue(p.text.contains("1 transfer is running or queued"), p.text)

        var idle = Driver(bucket: "site")
        idle.answer(site, objects: [obj("a")])
        idle.send(.transfersUpdated([running(0, .done), running(1, .failed("x"))]))
        XCTAssertEqual(idle.keys(.char("q")), [.quit], "nothing running: quits at once")
    }

    // MARK: Defect 21: the help page stops at its end

    func testHelpScrollingStopsAtTheEnd() {
        var d = Driver(bucket: "site", width: 80, height: 24)
        d.answer(site, objects: [obj("a")])
        d.keys(.char("?"))
        let last = HelpPage(for: TreePage(), in: d.state).rows(width: 80).count - (24 - 3)
        XCTAssertGreaterThan(last, 0)
        for _ in 0..<(last + 50) { d.keys(.char("j")) }
        XCTAssertEqual(d.state.page(HelpPage.self)?.scroll, last)
        let end = d.text
        XCTAssertTrue(end.contains("Jump"), "the last line shows")
        d.keys(.char("k"))
        XCTAssertEqual(d.state.page(HelpPage.self)?.scroll, last - 1, "one key up moves up at once")
        XCTAssertNotEqual(d.text, end)
    }

    // MARK: The tmux tests' input counter

    func testTheTitleCountsKeysOnlyWhenAsked() {
        var d = Driver(bucket: "site")
        d.answer(site, objects: [obj("a")])
        d.keys(.down, .char("x"), .char("?"))
        d.answerDetails()
        XCTAssertFalse(d.text.split(separator: "\n")[0].contains("keys:"))
        d.state.showsInputCount = true
        d.state.noteIgnoredInput()
        XCTAssertTrue(d.text.split(separator: "\n")[0].contains("keys:4  [idle]"), d.text)
    }

    // MARK: Defect 17: progress from many threads

    func testProgressThrottleLetsOneMessageThroughPerIntervalFromManyThreads() {
        for _ in 0..<20 {
            let throttle = ProgressThrottle(interval: 0.1)
            let passed = Counter()
            DispatchQueue.concurrentPerform(iterations: 32) { _ in
                for _ in 0..<200 where throttle.shouldPost(now: 5.0) { passed.add() }
            }
            XCTAssertEqual(passed.value, 1, "32 workers reporting at once: one message")
        }
        let throttle = ProgressThrottle(interval: 0.1)
        XCTAssertTrue(throttle.shouldPost(now: 1.0))
        XCTAssertFalse(throttle.shouldPost(now: 1.05))
        XCTAssertTrue(throttle.shouldPost(now: 1.2))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}

extension SafetyTests {
    func testAWarningAboutTheCopiedFormStaysBesideWhatWasCopied() {
        var d = Driver(bucket: "site", width: 120, height: 30)
        d.answer(site, objects: [obj("a\u{1B}b")])
        d.keys(.char("y"))
        let note = "key has control or invisible characters: copied percent-encoded"
        let choice = URLChoice(label: "s3 URI", url: "s3://site/a%1Bb", note: note)
        d.send(.urlsBuilt(id: d.lastID, bucket: "site", key: "a\u{1B}b", [choice]))
        XCTAssertEqual(d.keys(.enter), [.copy(text: "s3://site/a%1Bb")])
        d.send(.copied(text: "s3://site/a%1Bb", via: "OSC 52"))
        XCTAssertTrue(d.text.contains("warning: \(note) · copied (OSC 52): s3://site/a%1Bb"), d.text)
    }
}
