import Foundation

/// The result panel after an operation; `retryID` is set when failures can be retried.
public struct OperationReport: Equatable, Sendable {
    public var title: String
    public var lines: [ReportLine]
    public var failed: Int
    public var retryID: Int?
    public init(title: String, lines: [ReportLine], failed: Int, retryID: Int? = nil) {
        self.title = title
        self.lines = lines
        self.failed = failed
        self.retryID = retryID
    }
    /// What a header edit changed, when its bucket has a CDN: the report offers to invalidate it.
    public var invalidation: InvalidationOffer?
}
