import Browser
import Foundation
import Imaging
import Operations
import S3

extension BrowserSession {
    /// How pictures reach this terminal, judged once before curses starts (symbols until told).
    public func useImageTerminal(_ capabilities: TerminalCapabilities) { images.capabilities = capabilities }
}
