import Foundation

/// One line of a report or a question, with its kind: the kind, never the words, says how
/// it is drawn (a key named "note.txt" in a failure is an error line, not a note).
public struct ReportLine: Equatable, Sendable, ExpressibleByStringInterpolation {
    public enum Kind: Sendable, Equatable {
        case plain, error, warning, note

        var style: CellStyle {
            switch self {
            case .plain: return .normal
            case .error, .warning: return .error
            case .note: return .notice
            }
        }
    }
    public var text: String
    public var kind: Kind
    public init(_ text: String, kind: Kind = .plain) {
        self.text = text
        self.kind = kind
    }
    public init(stringLiteral value: String) { self.init(value) }
}
