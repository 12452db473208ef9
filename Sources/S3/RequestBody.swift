import Foundation

/// A request body that can always be produced again from the start, so a failed attempt can
/// be retried (S3 rule 15). Files are streamed, never read whole into memory.
public enum RequestBody: Sendable {
    case empty
    case data(Data)
    case file(path: String, offset: UInt64, length: UInt64)

    public var length: UInt64 {
        switch self {
        case .empty: return 0
        case .data(let d): return UInt64(d.count)
        case .file(_, _, let length): return length
        }
    }
}
