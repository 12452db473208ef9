import Operations

/// How a cell looks; the Terminal module maps these to colours (or to bold/reverse
/// under NO_COLOR and on monochrome terminals).
public enum CellStyle: UInt8, Sendable {
    case normal, title, titleBusy, selected, marked, markedSelected, prefix, dim, error, notice, header, footerKey,
         footerText, detailName, prompt, loading
}
