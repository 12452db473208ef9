import Operations

/// Typing the lifetime of a presigned URL (90s, 15m, 1h, 7d) on the status line.
public struct PresignPromptPage: LinePrompt {
    public static let name = "Presign prompt"
    public static func example(in state: inout BrowserState) -> PresignPromptPage {
        PresignPromptPage(bucket: "site", key: "media/a.jpg", text: "2h")
    }

    public let bucket: String
    public let key: String
    public internal(set) var text: LineEditor
    public var promptLabel: String { "presigned URL lifetime (90s, 15m, 1h, 7d): " }

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
}
