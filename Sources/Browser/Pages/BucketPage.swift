import Operations
import S3

/// What governs every object of a bucket, full screen: region, versioning, ownership,
/// encryption, public access block, policy, CORS, lifecycle, website and tags, each as the
/// server answered (set, "not set", not supported, or why it could not be read), read off
/// the UI thread by the same code as `pail bucket show`. `e` says the command that edits the
/// chosen section.
public struct BucketPage: Page {
    public static let name = "Bucket"
    public static func example(in state: inout BrowserState) -> BucketPage {
        var page = BucketPage(bucket: "site")
        func doc(_ text: String) -> BucketSectionState.State {
            (try? JSONValue.parse(text)).map { .set($0) } ?? .failed("not JSON")
        }
        let rules = (1...8).map { #"{"ID":"tmp-\#($0)","Status":"Enabled","Filter":{"Prefix":"tmp/\#($0)/"},"#
            + #""Expiration":{"Days":\#($0 * 7)}}"# }
        let lifecycle = #"{"Rules":["# + rules.joined(separator: ",") + "]}"
        let policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Resource":"arn:aws:s3:::site/*"}]}
            """
        page.sections = [
            BucketSectionState(section: .region, state: doc(#"{"LocationConstraint":"eu-west-1"}"#)),
            BucketSectionState(section: .versioning, state: doc(#"{"Status":"Enabled"}"#)),
            BucketSectionState(section: .ownership, state: .notSet("OwnershipControlsNotFoundError")),
            BucketSectionState(section: .encryption, state: .unsupported("NotImplemented")),
            BucketSectionState(section: .publicAccessBlock, state: .failed("AccessDenied: Access Denied")),
            BucketSectionState(section: .policy, state: doc(policy)),
            BucketSectionState(section: .cors, state: .notSet("NoSuchCORSConfiguration")),
            BucketSectionState(section: .lifecycle, state: doc(lifecycle)),
            BucketSectionState(section: .website, state: .notSet("NoSuchWebsiteConfiguration")),
            BucketSectionState(section: .tags, state: .notSet("NoSuchTagSet")),
        ]
        page.selected = 1
        page.scroll = 1
        return page
    }

    public let bucket: String
    public let request: RequestID?
    public internal(set) var sections: [BucketSectionState] = []
    public internal(set) var error: String?
    /// The section chosen (↑↓), whose title is highlighted and which `e` is about.
    public internal(set) var selected = 0
    public internal(set) var scroll = 0

    public init(bucket: String, request: RequestID? = nil) {
        self.bucket = bucket
        self.request = request
    }

    public var placement: PagePlacement { .fullScreen }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.down, .char("j"), .tab], .down, "Next section", footer: "section", footerKeys: "↑↓"),
            Binding([.up, .char("k")], .up, "Previous section"),
            Binding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, "Page down"),
            Binding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
            Binding([.char("e")], .editBucketSection, "The command that edits the chosen section", footer: "edit"),
            Binding([], .dismiss, "Close", group: .anyOther, footer: "close", footerKeys: "any other key"),
        ]
    }

    /// The page's lines: each section's title, then what it holds, indented; a line longer
    /// than the screen is wrapped (after a space where it can), its rest indented under it, as
    /// the details pane wraps a long value: an error's reason or a rule's filter is read whole.
    func lines(width: Int) -> [(text: String, section: Int, title: Bool, style: CellStyle)] {
        var out: [(String, Int, Bool, CellStyle)] = []
        // Drawn from column 1, one column kept free on the right.
        let room = max(8, width - 2)
        func add(_ text: String, _ section: Int, _ title: Bool, _ style: CellStyle) {
            // The server's words are escaped before they are measured (the section's lines are
            // already terminal-safe).
            let safe = Formatting.safe(text)
            guard DisplayWidth.of(safe) > room else { return out.append((safe, section, title, style)) }
            let indent = safe.prefix { $0 == " " }.count
            let body = String(safe.dropFirst(indent))
            let parts = Renderer.wrapWords(body, width: max(4, room - indent - 2))
            for (n, part) in parts.enumerated() {
                let lead = String(repeating: " ", count: n == 0 ? indent : indent + 2)
                out.append((lead + part, section, title, style))
            }
        }
        for (i, s) in sections.enumerated() {
            let style: CellStyle
            switch s.state {
            case .set: style = .normal
            case .notSet, .unsupported: style = .dim
            case .failed: style = .error
            }
            let body = s.lines
            if body.count == 1 && !isDocument(s) {
                add(s.section.title + ": " + body[0], i, true, style)
                continue
            }
            add(s.section.title + ":", i, true, .header)
            for line in body { add("  " + line, i, false, style) }
        }
        return out
    }

    func isDocument(_ s: BucketSectionState) -> Bool {
        if case .set = s.state { return [.policy, .cors, .lifecycle, .website, .tags].contains(s.section) }
        return false
    }

    func height(_ state: BrowserState) -> Int { max(1, state.height - 4) }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        let all = lines(width: state.width)
        let page = height(state)
        switch action {
        case .down, .up:
            guard !sections.isEmpty else { return .stay }
            selected = max(0, min(sections.count - 1, selected + (action == .down ? 1 : -1)))
            if let first = all.firstIndex(where: { $0.section == selected }) {
                let last = all.lastIndex { $0.section == selected } ?? first
                if first < scroll { scroll = first }
                if last >= scroll + page { scroll = max(first == last ? last - page + 1 : first, 0) }
                if first < scroll { scroll = first }
            }
        case .pageDown: scroll += page
        case .pageUp: scroll = max(0, scroll - page)
        case .editBucketSection:
            guard sections.indices.contains(selected) else { return .stay }
            state.setStatus(Self.editHint(bucket: bucket, section: sections[selected].section), error: false)
        default: return .close
        }
        scroll = max(0, min(scroll, all.count - page))
        return .stay
    }

    /// The exact command that edits a section, or why pail does not.
    static func editHint(bucket: String, section: BucketSection) -> String {
        let target = "s3://" + Formatting.safe(bucket)
        if BucketSection.editable.contains(section) {
            return "edit it with: pail bucket edit \(target) \(section.rawValue)  ($EDITOR, a diff, then a "
                + "confirmation)"
        }
        if section == .versioning {
            return "change it with: pail bucket edit \(target) versioning --enable (or --suspend)"
        }
        return "pail does not edit the \(section.title); the provider's console or CLI does"
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        guard case .bucketRead(let id, _, let result) = event, id == request else { return nil }
        switch result {
        case .success(let read): sections = read
        case .failure(let e): error = e.message
        }
        return .stay
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let top = 1
        screen.fill(row: top, style: .header)
        let note = error.map { "cannot read it: " + $0 }
            ?? (state.isOpen(request) ? "reading its settings…" : "what governs every object in it")
        screen.put(Formatting.safe("s3://\(bucket)/  (\(note))"), row: top, column: 1, style: error == nil ? .header
                   : .error, maxWidth: screen.width - 2)
        for (i, line) in lines(width: screen.width).dropFirst(scroll).prefix(height(state)).enumerated() {
            let y = top + 1 + i
            let chosen = line.title && line.section == selected
            screen.fill(row: y, style: chosen ? .selected : .normal)
            screen.put(line.text, row: y, column: 1, style: chosen ? .selected : line.style,
                       maxWidth: screen.width - 2)
        }
    }
}

extension BrowserState {
    /// `b` on a bucket or anywhere in it.
    mutating func openBucketPage() -> PageOutcome {
        let bucket = cursorEntry?.bucket ?? currentLocation.bucket
        guard !bucket.isEmpty else {
            setStatus("move to a bucket to see its settings", error: false)
            return .stay
        }
        let id = ask(.bucket)
        return .open(BucketPage(bucket: bucket, request: id), [.readBucket(id: id, bucket: bucket)])
    }
}

extension Action {
    public static let bucketPage: Action = "bucketPage"
    public static let editBucketSection: Action = "editBucketSection"
}
