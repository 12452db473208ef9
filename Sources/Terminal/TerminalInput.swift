import Browser
import CNcurses
import Foundation
import Operations

enum TerminalInput {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    case ignored
}
