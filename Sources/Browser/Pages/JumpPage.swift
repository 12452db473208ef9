import Operations

/// Typing a prefix (`media/2024/`) or `s3://bucket/prefix/` to go to; Tab completes the
/// prefix from one listing of the bucket (as the upload prompt completes local paths).
public struct JumpPage: LinePrompt {
    public static let name = "Jump"
    public static func example(in state: inout BrowserState) -> JumpPage {
        var page = JumpPage(text: "media/20")
        page.candidates = ["media/2023/", "media/2024/"]
        return page
    }

    public internal(set) var text: LineEditor
    /// The prefixes a second Tab found, listed on the footer line until the text changes.
    public internal(set) var candidates: [String] = []
    /// The completion asked for, and the text it was asked for (an answer for another text is dropped).
    var asked: (id: RequestID, text: String)?

    public var promptLabel: String { "jump to: " }

    public init(text: LineEditor = LineEditor()) { self.text = text }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.enter], .confirm, "Go to the prefix", footer: "go"),
            Binding([.tab], .complete, "Complete the prefix from a listing (twice: list the choices)",
                    footer: "complete"),
            Binding([.escape], .cancel, "Cancel", footer: "cancel"),
            Binding([], .type, "Type a prefix or s3://bucket/prefix/ (^U clears)", group: .typing, footer: "clear",
                    footerKeys: "^U"),
        ]
    }

    /// The bucket, the key prefix typed, and what stands before the prefix in the text
    /// (`s3://bucket/`, `/` or nothing); nil while no bucket is known.
    static func target(of text: String, in state: BrowserState) -> (bucket: String, prefix: String, lead: String)? {
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst(5)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            let bucket = String(rest[..<slash])
            guard !bucket.isEmpty else { return nil }
            return (bucket, String(rest[rest.index(after: slash)...]), "s3://\(bucket)/")
        }
        let bucket = state.currentLocation.bucket
        guard !bucket.isEmpty else { return nil }
        if text.hasPrefix("/") { return (bucket, String(text.dropFirst()), "/") }
        return (bucket, text, "")
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .cancel: return .close
        case .complete:
            guard let t = Self.target(of: text.text, in: state) else {
                state.setStatus("Tab completes a prefix once the bucket is known: type s3://bucket/", error: true)
                return .stay
            }
            let id = state.ask(.completion)
            asked = (id, text.text)
            return .stay([.completePrefix(id: id, bucket: t.bucket, prefix: t.prefix)])
        case .confirm:
            let before = state.statusSerial
            let effects = state.jump(to: text.text)
            // Refused (no bucket here): the prompt stays, as typed.
            if state.statusSerial != before && state.status?.isError == true && effects.isEmpty { return .stay }
            return .close(effects)
        default:
            if text.handle(key) { candidates = [] }
            return .stay
        }
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        guard case .prefixCompletions(let id, let result) = event, let asked, asked.id == id else { return nil }
        self.asked = nil
        // Typed on meanwhile: the answer is for another text.
        guard asked.text == text.text, let t = Self.target(of: text.text, in: state) else { return .stay }
        let found: [String]
        switch result {
        case .failure(let e):
            state.setStatus("cannot complete: " + e.message, error: true)
            return .stay
        case .success(let prefixes):
            // Byte prefixes of what was typed only (S3 rule: keys are bytes), in the listing's order.
            found = prefixes.filter { $0.hasBytePrefix(t.prefix) }
        }
        guard !found.isEmpty else {
            candidates = []
            state.setStatus("no prefix starts with \(t.lead)\(t.prefix)", error: true)
            return .stay
        }
        // An earlier miss said on the footer line is over.
        if state.status?.isError == true { state.status = nil }
        let common = Self.commonStart(found)
        if found.count == 1 || common.utf8.count > t.prefix.utf8.count {
            text.set(t.lead + (found.count == 1 ? found[0] : common))
            candidates = []
        } else {
            candidates = found.map { t.lead + $0 }
        }
        return .stay
    }

    public func footer(_ state: BrowserState) -> [FooterItem] {
        // The prompt holds the status line: a refused value is said on the footer line.
        if let s = state.status, s.isError { return [FooterItem("", Formatting.safe(s.text))] }
        if !candidates.isEmpty {
            // The choices by the part after the typed text's last "/", as a shell lists them.
            let dir = text.text.lastIndex(of: "/").map { text.text[...$0].utf8.count } ?? 0
            let names = candidates.map { Formatting.safe(String(decoding: $0.utf8.dropFirst(dir), as: UTF8.self)) }
            return [FooterItem("", "\(candidates.count) prefixes: " + names.joined(separator: "  "))]
        }
        return promptFooter(state)
    }
}
