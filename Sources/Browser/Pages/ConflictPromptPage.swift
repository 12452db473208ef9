import Operations

/// A download would replace local files, or an upload objects: overwrite them, skip them,
/// or cancel.
public struct ConflictPromptPage: Page {
    public static let name = "Download conflicts"
    public static func example(in state: inout BrowserState) -> ConflictPromptPage {
        ConflictPromptPage(batchID: 3, count: 2, example: "/tmp/dest/a.jpg")
    }

    public let batchID: Int
    public let count: Int
    public let example: String
    /// The existing things are objects in the bucket (an upload), not local files.
    public let upload: Bool

    public init(batchID: Int, count: Int, example: String, upload: Bool = false) {
        self.batchID = batchID
        self.count = count
        self.example = example
        self.upload = upload
    }

    public var question: String? { "overwrite \(batchID)" }

    var what: String { upload ? "upload" : "download" }

    public func bindings(in state: BrowserState) -> [Binding] {
        let things = upload ? "object" : "file"
        return [
            Binding([.char("o"), .char("a")], .overwrite, "Overwrite every existing \(things)", footer: "overwrite all",
                    dangerous: true),
            Binding([.char("s")], .skip, "Skip the existing \(things)s, \(what) the others", footer: "skip existing"),
            Binding([], .cancel, "Cancel the \(what)", group: .anyOther, footer: "cancel", footerKeys: "Esc"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .overwrite:
            return .close([.resolveConflicts(id: state.ask(.transferBatch), batchID: batchID, overwrite: true)])
        case .skip:
            return .close([.resolveConflicts(id: state.ask(.transferBatch), batchID: batchID, overwrite: false)])
        default:
            state.setStatus("\(what) cancelled", error: false)
            return .close([.resolveConflicts(id: nil, batchID: batchID, overwrite: nil)])
        }
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {}

    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool {
        let exist = Formatting.things(count, upload ? "object" : "file") + (count == 1 ? " exists" : " exist")
        screen.put("\(exist), e.g. \(Formatting.safe(example)): o overwrite all, s skip them, Esc cancel",
                   row: row, column: 0, style: .prompt, maxWidth: width)
        return true
    }
}

extension Action {
    public static let overwrite: Action = "overwrite"
    public static let skip: Action = "skip"
}
