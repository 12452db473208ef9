import Foundation

/// One invalidation as CloudFront reports it.
public struct CloudFrontInvalidation: Sendable, Equatable {
    public var id: String
    /// `InProgress` or `Completed` (moto writes `COMPLETED`: compared without case).
    public var status: String

    public init(id: String, status: String) {
        self.id = id
        self.status = status
    }

    public var isCompleted: Bool { status.lowercased() == "completed" }
}
