import Operations

/// The delete question: what would go, and y (or a typed word for big deletes) to go on.
public struct DeleteConfirmationPage: Page {
    public static let name = "Delete confirmation"
    public static func example(in state: inout BrowserState) -> DeleteConfirmationPage {
        DeleteConfirmationPage(preview: DeletePreview(planID: 1, bucket: "site", count: 2, lines: [
            "2 objects, 2.0 KiB:", "  media/a.jpg", "  media/b.jpg",
            ReportLine("versioning is not on for this bucket: deleted objects are gone for good", kind: .warning),
        ], confirmWord: nil))
    }

    public let preview: DeletePreview
    public internal(set) var typed = LineEditor()

    public init(preview: DeletePreview) { self.preview = preview }

    public var question: String? { "delete" }

    public func bindings(in state: BrowserState) -> [Binding] {
        if preview.confirmWord != nil {
            return [
                Binding([.enter], .confirm, "Delete, once the word is typed exactly", footer: "delete",
                        dangerous: true),
                Binding([.escape], .cancel, "Cancel: nothing is deleted", footer: "cancel"),
                Binding([], .type, "Type the word shown", group: .typing),
            ]
        }
        return [
            Binding([.char("y"), .char("Y")], .confirm, "Delete", footer: "delete", dangerous: true),
            Binding([], .cancel, "Cancel: nothing is deleted", group: .anyOther, footer: "cancel"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .confirm:
            if let word = preview.confirmWord, typed.text != word {
                state.setStatus("type \(word) exactly to delete, or Esc", error: true)
                return .stay
            }
            state.setStatus("deleting \(Formatting.things(preview.count, "object"))…", error: false)
            return .close([.executeDelete(id: state.ask(.operation), planID: preview.planID)])
        case .cancel:
            state.setStatus("nothing deleted", error: false)
            return .close([.discardPlan(planID: preview.planID)])
        default:
            typed.handle(key)
            return .stay
        }
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        var lines = preview.lines
        lines.append("")
        if let word = preview.confirmWord {
            // The word and the typed text on lines of their own, so both show in full
            // (the typed text scrolls) at 80 and 60 columns.
            let inner = min(screen.width - 2, 110) - 4
            lines.append("Type this, then Enter, to delete (Esc cancels):")
            lines += Renderer.wrap(word, width: inner).map { ReportLine($0) }
            lines.append(ReportLine(typed.rendered(width: inner)))
        } else {
            lines.append("Delete? y deletes, any other key cancels")
        }
        Renderer.drawReportBox(title: "Delete from s3://\(preview.bucket)/", lines: lines, into: &screen,
                               layout: layout, lastStyle: .prompt)
    }
}
