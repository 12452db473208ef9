import Operations

/// What a header edit would change, before it is applied: y (or Enter) applies it.
public struct EditPreviewPage: Page {
    public static let name = "Edit preview"
    public static func example(in state: inout BrowserState) -> EditPreviewPage {
        EditPreviewPage(preview: EditPreview(planID: 1, total: 4, changing: 3, lines: [
            "4 objects: 3 will change, 1 already right (skipped)", "", "Cache-Control:",
            "   before (3 objects): max-age=60", "   after (3 changes): public, max-age=31536000, immutable",
            ReportLine("note: versioning is on: every edited object gets a new version", kind: .note),
        ]))
    }

    public let preview: EditPreview

    public init(preview: EditPreview) { self.preview = preview }

    public var question: String? { "edit" }

    public func bindings(in state: BrowserState) -> [Binding] {
        let keys: [Key] = preview.changing > 0 ? [.char("y"), .char("Y"), .enter] : [.char("y"), .char("Y")]
        return [
            Binding(keys, .confirm, "Apply the changes", footer: "apply", writes: true),
            Binding([], .cancel, "Cancel: nothing changes", group: .anyOther, footer: "cancel"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        guard action == .confirm else {
            state.setStatus("nothing changed", error: false)
            return .close([.discardPlan(planID: preview.planID)])
        }
        guard preview.changing > 0 else { return .close([.discardPlan(planID: preview.planID)]) }
        state.setStatus("editing \(Formatting.things(preview.changing, "object"))…", error: false)
        return .close([.executeEdit(id: state.ask(.operation), planID: preview.planID)])
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        // Values in full: long lines wrap under their label instead of losing their end.
        let inner = min(screen.width - 2, 110) - 4
        let wrapped = preview.lines.flatMap { line -> [ReportLine] in
            guard DisplayWidth.of(line.text) > inner else { return [line] }
            let indent = line.text.hasPrefix("   ") ? "      " : "  "
            let parts = Renderer.wrap(line.text, width: inner)
            guard parts.count > 1 else { return parts.map { ReportLine($0, kind: line.kind) } }
            let rest = Renderer.wrap(parts.dropFirst().joined(), width: inner - indent.count)
            return ([parts[0]] + rest.map { indent + $0 }).map { ReportLine($0, kind: line.kind) }
        }
        let question = preview.changing > 0
            ? "y or Enter applies the \(preview.changing == 1 ? "change" : "changes"), any other key cancels"
            : "Nothing to change (any key closes)"
        Renderer.drawReportBox(title: "Preview: \(preview.changing) of \(preview.total) will change",
                               lines: wrapped + ["", ReportLine(question)], into: &screen, layout: layout,
                               lastStyle: .prompt)
    }
}
