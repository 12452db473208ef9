import Operations

/// What the public (CDN) URL serves beside what the object stores, header by header.
public struct PublicCheckPage: Page {
    public static let name = "Public URL check"
    public static func example(in state: inout BrowserState) -> PublicCheckPage {
        PublicCheckPage(check: PublicCheck(url: "https://cdn.example.com/media/a.jpg", status: 200, lines: [
            .init(name: "Cache-Control", served: "max-age=60", stored: "public, max-age=31536000, immutable",
                  differs: true),
            .init(name: "Content-Type", served: "image/jpeg", stored: "image/jpeg", differs: false),
            .init(name: "Age", served: "120", stored: "", differs: false),
        ]))
    }

    public let check: PublicCheck

    public init(check: PublicCheck) { self.check = check }

    public func bindings(in state: BrowserState) -> [Binding] {
        [Binding([], .dismiss, "Close", group: .anyOther, footer: "close", footerKeys: "any key")]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome { .close }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let inner = Renderer.box(title: "What " + Formatting.safe(check.url) + " serves", lines: check.lines.count + 2,
                                 into: &screen, layout: layout)
        screen.put("HTTP \(check.status)", row: inner.top, column: inner.left,
                   style: check.status < 300 ? .notice : .error)
        let nameW = 18
        let colW = (inner.width - nameW) / 2
        screen.put("served by the URL", row: inner.top + 1, column: inner.left + nameW, style: .header, maxWidth: colW)
        screen.put("stored on the object", row: inner.top + 1, column: inner.left + nameW + colW, style: .header,
                   maxWidth: colW)
        for (i, line) in check.lines.enumerated() {
            let y = inner.top + 2 + i
            guard y < layout.treeTop + layout.treeHeight else { break }
            let style: CellStyle = line.differs ? .error : .normal
            screen.put((line.differs ? "≠ " : "  ") + line.name, row: y, column: inner.left,
                       style: line.differs ? .error : .detailName, maxWidth: nameW)
            screen.put(Formatting.safe(line.served), row: y, column: inner.left + nameW, style: style,
                       maxWidth: colW - 1)
            screen.put(Formatting.safe(line.stored), row: y, column: inner.left + nameW + colW, style: style,
                       maxWidth: colW - 1)
        }
    }
}
