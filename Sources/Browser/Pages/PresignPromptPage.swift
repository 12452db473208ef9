import Operations

/// Typing the lifetime of a presigned URL (90s, 15m, 1h, 7d) on the status line.
public struct PresignPromptPage: Page {
    public static let name = "Presign prompt"
    public static func example(in state: inout BrowserState) -> PresignPromptPage {
        PresignPromptPage(bucket: "site", key: "media/a.jpg", text: "2h")
    }

    public let bucket: String
    public let key: String
    public internal(set) var text: LineEditor

    public init(bucket: String, key: String, text: LineEditor = LineEditor()) {
        self.bucket = bucket
        self.key = key
        self.text = text
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.enter], .confirm, "Sign the URL and copy it", footer: "sign and copy"),
            Binding([.escape], .cancel, "Cancel", footer: "cancel"),
            Binding([], .type, "Type the lifetime: 90s, 15m, 1h, 7d", group: .typing),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .cancel: return .close
        case .confirm:
            // A lifetime S3 would refuse keeps the prompt open, as typed, saying why.
            do { _ = try Durations.parse(text.text) } catch {
                state.setStatus(Formatting.safe("\(error)"), error: true)
                return .stay
            }
            return .close([.presign(id: state.ask(.presign), bucket: bucket, key: self.key, lifetime: text.text)])
        default:
            text.handle(key)
            return .stay
        }
    }

    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool {
        screen.put("presigned URL lifetime (90s, 15m, 1h, 7d): "
                   + text.rendered(width: max(8, width - 43), escape: Formatting.safe),
                   row: row, column: 0, style: .prompt, maxWidth: width)
        return true
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {}

    public func footer(_ state: BrowserState) -> [FooterItem] {
        if let s = state.status, s.isError { return [FooterItem("", Formatting.safe(s.text))] }
        return Self.footer(from: bindings(in: state))
    }
}
