import Foundation

/// A delete plan as the confirmation shows it; the runner keeps the plan itself under `planID`.
public struct DeletePreview: Equatable, Sendable {
    public var planID: Int
    public var bucket: String
    public var count: Int
    public var lines: [ReportLine]
    /// What the person must type (a prefix or the count); nil when "y" is enough.
    public var confirmWord: String?
    public init(planID: Int, bucket: String, count: Int, lines: [ReportLine], confirmWord: String?) {
        self.planID = planID
        self.bucket = bucket
        self.count = count
        self.lines = lines
        self.confirmWord = confirmWord
    }
}
