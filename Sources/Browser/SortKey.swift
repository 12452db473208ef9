import Foundation
import Operations

public enum SortKey: String, CaseIterable, Sendable {
    case name, size, date
    /// Header columns (`H`): in the sort cycle only while the columns are shown.
    case cacheControl = "cache-control", contentType = "type", contentEncoding = "encoding"
}
