import Foundation
import Operations

/// A transfer as the panel shows it.
public struct TransferRow: Equatable, Sendable {
    /// The engine's own states and directions (upload, download, copy within S3).
    public typealias State = TransferItem.State
    public typealias Direction = TransferItem.Direction
    public var id: Int
    public var direction: Direction
    /// The local path of a download; the destination `s3://` URI otherwise.
    public var name: String
    public var size: Int64
    public var transferred: Int64
    public var state: State
    /// Bytes per second over the last samples, and seconds left.
    public var rate: Double
    public init(id: Int, direction: Direction, name: String, size: Int64, transferred: Int64, state: State,
                rate: Double) {
        self.id = id
        self.direction = direction
        self.name = name
        self.size = size
        self.transferred = transferred
        self.state = state
        self.rate = rate
    }
    public var isActive: Bool { state == .queued || state == .running }
}
