import Foundation

/// A character cell's size in pixels: what turns a pane of cells into a picture's aspect.
public struct CellSize: Sendable, Equatable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
    }

    /// When the terminal does not say: the common 1:2 cell.
    public static let typical = CellSize(width: 10, height: 20)
}
