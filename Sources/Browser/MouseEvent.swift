public enum MouseEvent: Equatable, Sendable {
    case click(row: Int, column: Int)
    case doubleClick(row: Int, column: Int)
    case wheelUp
    case wheelDown
}
