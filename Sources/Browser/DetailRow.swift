import Foundation

/// One line of the details pane: a header name and its value as shown.
public struct DetailRow: Equatable, Sendable {
    public var name: String
    public var value: String
    /// The header exactly as the object stores it, for the header editor's "start from the
    /// current value": nil for lines that are no header (Size) and for a header the object
    /// lacks, whatever `value` shows then ("(none)"). Display text never goes into a request.
    public var stored: StoredHeader?
    /// A header the object does not have (shown as such, never as a value).
    public var isAbsent: Bool
    /// A value that is a problem (an Expires in the past): drawn as a warning.
    public var isWarning = false
    public init(_ name: String, _ value: String, stored: StoredHeader? = nil) {
        self.name = name
        self.value = value
        self.stored = stored
        isAbsent = false
    }

    /// The row of a header the object lacks.
    public static func absent(_ name: String) -> DetailRow {
        var row = DetailRow(name, "")
        row.isAbsent = true
        return row
    }
}
