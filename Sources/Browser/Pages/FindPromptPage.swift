import Operations

/// The criteria of a find below a prefix, typed on one line as `pail find` takes them
/// (`*.jpg --larger 1M --older 30d`) and read by the same code; a bad value keeps the prompt
/// open with what was typed, and the reason in the footer.
public struct FindPromptPage: LinePrompt {
    public static let name = "Find prompt"
    public static func example(in state: inout BrowserState) -> FindPromptPage {
        FindPromptPage(bucket: "site", prefix: "media/", text: LineEditor("*.jpg --larger 1M"))
    }
    public static let helpNotes: [(String, String)] = [
        ("Criteria", "a name pattern (*.jpg), --name GLOB --regex RE --larger SIZE --smaller SIZE"),
        ("", "--older DURATION --newer DURATION --storage-class C; sizes 500K 10M, ages 90s 1h 7d 1y"),
    ]

    public let bucket: String
    public let prefix: String
    public internal(set) var text: LineEditor
    public var promptLabel: String { "find in s3://\(bucket)/\(prefix): " }

    public init(bucket: String, prefix: String, text: LineEditor = LineEditor()) {
        self.bucket = bucket
        self.prefix = prefix
        self.text = text
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.enter], .confirm, "Find the objects that match", footer: "find"),
            Binding([.escape], .cancel, "Cancel", footer: "cancel"),
            Binding([], .type, "Type the criteria (^U clears)", group: .typing, footer: "clear", footerKeys: "^U"),
        ]
    }

    /// The line takes typed text, so `?` is a character here: the footer says where the
    /// criteria are explained, with an example, until something is typed.
    public func footer(_ state: BrowserState) -> [FooterItem] {
        if let s = state.status, s.isError { return [FooterItem("", Formatting.safe(s.text))] }
        let items = Self.footer(from: bindings(in: state))
        return text.text.isEmpty ? items + [FooterItem("F1", "criteria (*.jpg --larger 1M --older 30d)")] : items
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .cancel: return .close
        case .confirm:
            do {
                _ = try ObjectCriteria.parse(line: text.text)
            } catch {
                // S3Error's description is the sentence written for a person.
                state.setStatus(String(describing: error), error: true)
                return .stay
            }
            state.status = nil
            let id = state.ask(.cleanup)
            let page = FindPage(list: CleanupList(bucket: bucket, prefix: prefix), criteria: text.text, request: id)
            return .replace(page, [.cleanupScan(id: id, bucket: bucket, prefix: prefix, .find(criteria: text.text))])
        default:
            text.handle(key)
            return .stay
        }
    }
}
