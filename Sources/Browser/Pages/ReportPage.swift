import Operations

/// The result of a delete or an edit: its title, its failures, and R to retry them. After a
/// header edit on a bucket with a CDN, `i` invalidates what changed there, and the report shows
/// the invalidation's progress and its id.
public struct ReportPage: Page {
    public static let name = "Report"
    public static func example(in state: inout BrowserState) -> ReportPage {
        var report = OperationReport(title: "changed 2, skipped 0, failed 1", lines: [
            ReportLine("media/b.jpg: AccessDenied", kind: .error),
            ReportLine("versioning is on: every edited object gets a new version", kind: .note),
        ], failed: 1, retryID: 7)
        report.invalidation = InvalidationOffer(
            bucket: "site", targets: [.key("media/a.jpg"), .key("media/c.jpg")], changed: 2,
            cdn: "CloudFront distribution E2QWRUHEXAMPLE", distribution: nil)
        return ReportPage(report: report)
    }

    public let report: OperationReport
    /// The invalidation asked for with `i`, while it runs.
    var invalidating: RequestID?
    /// Its lines so far: the last progress line while it runs, then what it did.
    var cdnLines: [ReportLine] = []
    var invalidated = false

    public init(report: OperationReport) { self.report = report }

    var canInvalidate: Bool { report.invalidation != nil && invalidating == nil && !invalidated }

    public func bindings(in state: BrowserState) -> [Binding] {
        var out: [Binding] = []
        if report.retryID != nil {
            out.append(Binding([.char("R")], .retry, "Retry the failed objects", footer: "retry", writes: true))
        }
        if canInvalidate {
            out.append(Binding([.char("i")], .invalidateCDN, "Invalidate the changed objects on the bucket's CDN",
                               footer: "invalidate CDN", writes: true))
        }
        out.append(Binding([], .dismiss, "Close", group: .anyOther, footer: "close", footerKeys: "any key"))
        return out
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        if action == .invalidateCDN, canInvalidate, let offer = report.invalidation {
            let id = state.ask(.invalidation)
            invalidating = id
            cdnLines = [ReportLine("invalidating \(offer.what) on \(offer.cdn)…", kind: .note)]
            return .stay([.invalidate(id: id, offer)])
        }
        guard action == .retry, let id = report.retryID else { return .close }
        state.setStatus("retrying \(Formatting.things(report.failed, "failed object"))…", error: false)
        return .close([.retryEdit(id: state.ask(.operation), planID: id)])
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        switch event {
        case .invalidationProgress(let id, let line) where id == invalidating:
            cdnLines = Array(cdnLines.prefix(1)) + [ReportLine(Formatting.safe(line), kind: .note)]
            return .stay
        case .invalidated(let id, let result) where id == invalidating:
            invalidating = nil
            invalidated = true
            switch result {
            case .success(let lines): cdnLines = lines.map { ReportLine(Formatting.safe($0), kind: .note) }
            case .failure(let e): cdnLines = [ReportLine("invalidation failed: " + e.message, kind: .error)]
            }
            return .stay
        default:
            return nil
        }
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        var lines = report.lines
        if report.retryID != nil { lines += [ReportLine(""), ReportLine("R retries the failed objects")] }
        if let offer = report.invalidation, canInvalidate {
            lines += [ReportLine(""), ReportLine("i invalidates \(offer.what) on \(offer.cdn)")]
        }
        if !cdnLines.isEmpty { lines += [ReportLine("")] + cdnLines }
        Renderer.drawReportBox(title: report.title, lines: lines, into: &screen, layout: layout)
    }
}

extension Action {
    public static let retry: Action = "retry"
}
