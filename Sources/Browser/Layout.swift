import Operations

/// Where things go on a screen of a given size.
public struct Layout: Equatable, Sendable {
    public static let minWidth = 40
    public static let minHeight = 10
    /// The details pane goes beside the tree from this width, below it from this height.
    public static let detailsMinWidth = 110
    public static let detailsMinHeight = 20

    public let width: Int
    public let height: Int
    public let treeTop = 1
    public let treeHeight: Int
    public let treeWidth: Int
    /// The details pane: beside the tree on wide screens, below it on tall ones, else hidden.
    public let details: (top: Int, left: Int, width: Int, height: Int)?

    public init(width: Int, height: Int, showDetails: Bool) {
        self.width = width
        self.height = height
        let body = max(0, height - 3)  // title, status line, footer
        if showDetails && width >= Self.detailsMinWidth {
            let w = min(56, width * 2 / 5)
            treeWidth = width - w - 1
            treeHeight = body
            details = (1, treeWidth + 1, w, body)
        } else if showDetails && height >= Self.detailsMinHeight {
            let h = min(10, body / 3)
            treeWidth = width
            treeHeight = body - h
            details = (1 + treeHeight, 0, width, h)
        } else {
            treeWidth = width
            treeHeight = body
            details = nil
        }
    }

    public var isTooSmall: Bool { width < Self.minWidth || height < Self.minHeight }

    public static func == (a: Layout, b: Layout) -> Bool {
        a.width == b.width && a.height == b.height && a.treeHeight == b.treeHeight && a.treeWidth == b.treeWidth
    }
}
