import Operations

public enum PagePlacement: Sendable {
    /// Drawn over the tree and the pages below (boxes, prompts on the status line).
    case overlay
    /// Covers everything below the title bar, the status line included (help, preview).
    case fullScreen
}
