import Operations

/// The start of an object, full screen: text (gunzipped when stored gzip'ed) or a hex dump.
public struct PreviewPage: Page {
    public static let name = "Preview"
    public static func example(in state: inout BrowserState) -> PreviewPage {
        var page = PreviewPage(view: PreviewView(bucket: "site", key: "robots.txt"))
        let rules = (1...60).map { "Disallow: /private/\($0)/" }
        let lines = ["User-agent: *"] + rules + ["", "Sitemap: https://example.com/sitemap.xml"]
        page.view.content = ObjectPreview(lines: lines,
                                          note: "text, 1.3 KiB")
        return page
    }

    public internal(set) var view: PreviewView
    public let request: RequestID?

    public init(view: PreviewView, request: RequestID? = nil) {
        self.view = view
        self.request = request
    }

    public var placement: PagePlacement { .fullScreen }

    /// What `p` opens on an object: the image page for a picture (by its name, or the
    /// Content-Type its HEAD gave; the bytes decide in the end), this page for the rest.
    static func opening(_ entry: MarkedEntry, in state: inout BrowserState) -> PageOutcome {
        if ImagePage.looksLikeImage(key: entry.key, contentType: state.contentType(of: entry)) {
            return ImagePage.opening(entry, in: &state)
        }
        let id = state.ask(.preview)
        return .open(PreviewPage(view: PreviewView(bucket: entry.bucket, key: entry.key), request: id),
                     [.preview(id: id, bucket: entry.bucket, key: entry.key)])
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.down, .char("j")], .down, "Scroll down", footer: "scroll", footerKeys: "↑↓ PgUp PgDn"),
            Binding([.up, .char("k")], .up, "Scroll up"),
            Binding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, "Page down"),
            Binding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
            Binding([.home], .top, "First line"),
            Binding([.end, .char("G")], .bottom, "Last line"),
            Binding([], .dismiss, "Close", group: .anyOther, footer: "close", footerKeys: "any other key"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        let page = max(1, state.height - 4)
        switch action {
        case .down: view.scroll += 1
        case .up: view.scroll = max(0, view.scroll - 1)
        case .pageDown: view.scroll += page
        case .pageUp: view.scroll = max(0, view.scroll - page)
        case .top: view.scroll = 0
        case .bottom: view.scroll = Int.max / 2
        default: return .close
        }
        view.scroll = min(view.scroll, max(0, rows(width: state.width).count - page))
        return .stay
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        guard case .previewed(let id, _, _, let result) = event, id == request else { return nil }
        switch result {
        case .success(let content): view.content = content
        case .failure(let e): view.error = e.message
        }
        return .stay
    }

    /// Key and note on the first row, then the lines; control characters escaped, never sent.
    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let top = 1
        let height = screen.height - 3
        screen.fill(row: top, style: .header)
        let note = view.error.map { "could not read it: " + $0 } ?? view.content?.note
            ?? (state.isOpen(request) ? "reading…" : "nothing read")
        // The note can hold the server's words (a Content-Type, an error): escaped too.
        screen.put(Formatting.safe("s3://\(view.bucket)/\(view.key)  (\(note))"), row: top, column: 1, style: .header,
                   maxWidth: screen.width - 2)
        for (i, line) in rows(width: screen.width).dropFirst(view.scroll).prefix(height - 1).enumerated() {
            screen.fill(row: top + 1 + i, style: .normal)
            screen.put(line, row: top + 1 + i, column: 1, style: .normal, maxWidth: screen.width - 2)
        }
    }

    /// The screen rows of the content at `width`: text escaped and wrapped (a minified CSS or
    /// JS file is one long line), a hex dump as it is (ASCII only: escaping would double a
    /// backslash and push its text column out of line).
    func rows(width: Int) -> [String] {
        guard let content = view.content else { return [] }
        if content.isHexDump { return content.lines }
        let room = max(8, width - 2)
        var out: [String] = []
        for line in content.lines {
            var row = ""
            var used = 0
            for c in Formatting.safe(line) {
                let w = DisplayWidth.of(c)
                if used + w > room {
                    out.append(row)
                    row = ""
                    used = 0
                }
                row.append(c)
                used += w
            }
            out.append(row)
        }
        return out
    }
}
