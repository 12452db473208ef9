import Operations

/// The URL menu of an object or prefix: its forms (s3://, HTTPS, CDN, presigned, ARN), one
/// per numbered line; `choices` is empty until a worker built them.
public struct URLMenuPage: Page {
    public static let name = "URL menu"
    public static func example(in state: inout BrowserState) -> URLMenuPage {
        var page = URLMenuPage(bucket: "site", key: "media/a.jpg")
        page.choices = [
            URLChoice(label: "s3 URI", url: "s3://site/media/a.jpg"),
            URLChoice(label: "HTTPS", url: "http://127.0.0.1:8333/site/media/a.jpg"),
            URLChoice(label: "CDN", url: nil, note: "no cdn_domain for this bucket"),
            URLChoice(label: "presigned …", url: nil, note: "type a lifetime", asksLifetime: true),
        ]
        return page
    }

    public let bucket: String
    public let key: String
    public internal(set) var choices: [URLChoice] = []
    public internal(set) var selected = 0

    /// The request that builds the choices.
    public let request: RequestID?

    public init(bucket: String, key: String, request: RequestID? = nil) {
        self.bucket = bucket
        self.key = key
        self.request = request
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.up, .char("k")], .up, "Previous line", footer: "choose", footerKeys: "↑↓"),
            Binding([.down, .char("j")], .down, "Next line"),
            Binding([.enter, .char("y")], .confirm, "Copy the selected URL (or ask a lifetime, or check)",
                    footer: "copy"),
            Binding([], .choose, "Copy the URL of that line", group: .digits, footer: "copy that line"),
            Binding([.escape, .char("q")], .cancel, "Close the menu", footer: "close"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, choices.count - 1), selected + 1)
        case .confirm: return choose(selected, &state)
        case .choose:
            // Lines are numbered 1-9 in the menu.
            if case .char(let c) = key, let n = c.wholeNumberValue, n >= 1, n <= choices.count {
                return choose(n - 1, &state)
            }
        default: return .close
        }
        return .stay
    }

    mutating func choose(_ index: Int, _ state: inout BrowserState) -> PageOutcome {
        guard choices.indices.contains(index) else { return .stay }
        let choice = choices[index]
        if choice.asksLifetime { return .replace(PresignPromptPage(bucket: bucket, key: key)) }
        if choice.checksPublicURL {
            state.setStatus("checking what the public URL serves…", error: false)
            return .close([.checkPublicURL(id: state.ask(.publicCheck), bucket: bucket, key: key)])
        }
        guard let url = choice.url else {
            state.setStatus(choice.note ?? "no URL of this form", error: true)
            return .stay
        }
        if let note = choice.note { state.setStatus("warning: " + note, error: true) }
        return .close([.copy(text: url)])
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        guard case .urlsBuilt(let id, _, _, let built) = event, id == request else { return nil }
        // A presigned URL signs one object's GET: for a prefix it would only ever answer 404.
        choices = key.hasByteSuffix("/") ? built.filter { !$0.label.hasPrefix("presigned") } : built
        selected = 0
        return .stay
    }

    /// Said next to a key drawn or copied with control or invisible characters.
    static let unsafeKeyNote = "key has control or invisible characters: shown escaped, copied percent-encoded"

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let warn = TerminalSafe.hasUnsafe(key) ? 1 : 0
        let inner = Renderer.box(title: "Copy a URL of " + Formatting.safe("s3://\(bucket)/\(key)"),
                                 lines: max(1, choices.count) + warn, into: &screen, layout: layout)
        if warn > 0 {
            screen.put(Self.unsafeKeyNote, row: inner.top, column: inner.left, style: .error, maxWidth: inner.width)
        }
        if choices.isEmpty {
            screen.put(state.isOpen(request) ? "building URLs…" : "no URLs", row: inner.top + warn,
                       column: inner.left,
                       style: .loading)
            return
        }
        let labelWidth = min(24, (choices.map { DisplayWidth.of($0.label) }.max() ?? 10) + 5)
        for (i, c) in choices.enumerated() {
            let y = inner.top + warn + i
            guard y < inner.top + layout.treeHeight - 2 else { break }
            let isSel = i == selected
            if isSel { screen.fill(row: y, from: inner.left - 1, to: inner.left + inner.width + 1, style: .selected) }
            screen.put("\(i + 1) " + c.label, row: y, column: inner.left, style: isSel ? .selected : .footerKey,
                       maxWidth: labelWidth)
            let text = c.url ?? c.note ?? ""
            let plain: CellStyle = c.url == nil && !c.asksLifetime && !c.checksPublicURL ? .dim : .normal
            screen.put(Formatting.safe(text), row: y, column: inner.left + labelWidth, style: isSel ? .selected : plain,
                       maxWidth: inner.width - labelWidth)
        }
    }
}

extension Action {
    public static let choose: Action = "choose"
}
