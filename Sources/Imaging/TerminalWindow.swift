import Foundation
import Glibc

/// The terminal's size in cells and, where it says (TIOCGWINSZ's pixel fields; tmux and
/// many SSH sessions say 0), the size of a cell in pixels.
public struct TerminalWindow: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    public var cell: CellSize?

    public init(columns: Int, rows: Int, cell: CellSize? = nil) {
        self.columns = columns
        self.rows = rows
        self.cell = cell
    }

    /// nil when `fd` is not a terminal.
    public static func current(fd: Int32 = 1) -> TerminalWindow? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        var cell: CellSize?
        if size.ws_xpixel > 0 && size.ws_ypixel > 0 {
            cell = CellSize(width: Int(size.ws_xpixel) / Int(size.ws_col),
                            height: Int(size.ws_ypixel) / Int(size.ws_row))
        }
        return TerminalWindow(columns: Int(size.ws_col), rows: Int(size.ws_row), cell: cell)
    }
}
