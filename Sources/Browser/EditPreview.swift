import Foundation

public struct EditPreview: Equatable, Sendable {
    public var planID: Int
    public var total: Int
    public var changing: Int
    public var lines: [ReportLine]
    public init(planID: Int, total: Int, changing: Int, lines: [ReportLine]) {
        self.planID = planID
        self.total = total
        self.changing = changing
        self.lines = lines
    }
}
