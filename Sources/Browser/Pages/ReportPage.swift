import Operations

/// The result of a delete or an edit: its title, its failures, and R to retry them.
public struct ReportPage: Page {
    public static let name = "Report"
    public static func example(in state: inout BrowserState) -> ReportPage {
        ReportPage(report: OperationReport(title: "changed 2, skipped 0, failed 1", lines: [
            ReportLine("media/b.jpg: AccessDenied", kind: .error),
            ReportLine("versioning is on: every edited object gets a new version", kind: .note),
        ], failed: 1, retryID: 7))
    }

    public let report: OperationReport

    public init(report: OperationReport) { self.report = report }

    public func bindings(in state: BrowserState) -> [Binding] {
        var out: [Binding] = []
        if report.retryID != nil {
            out.append(Binding([.char("R")], .retry, "Retry the failed objects", footer: "retry", writes: true))
        }
        out.append(Binding([], .dismiss, "Close", group: .anyOther, footer: "close", footerKeys: "any key"))
        return out
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        guard action == .retry, let id = report.retryID else { return .close }
        state.setStatus("retrying \(Formatting.things(report.failed, "failed object"))…", error: false)
        return .close([.retryEdit(id: state.ask(.operation), planID: id)])
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        var lines = report.lines
        if report.retryID != nil { lines += [ReportLine(""), ReportLine("R retries the failed objects")] }
        Renderer.drawReportBox(title: report.title, lines: lines, into: &screen, layout: layout)
    }
}

extension Action {
    public static let retry: Action = "retry"
}
