import Foundation
import S3

/// The headers a person edits.
public enum HeaderField: String, CaseIterable, Sendable {
    case cacheControl = "Cache-Control"
    case contentType = "Content-Type"
    case contentEncoding = "Content-Encoding"
    case contentDisposition = "Content-Disposition"
    case contentLanguage = "Content-Language"
    case expires = "Expires"

    /// Parses `cache-control`, `Cache-Control`, `cache_control`.
    public init?(name: String) {
        let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
        guard let f = HeaderField.allCases.first(where: { $0.rawValue.lowercased() == n }) else { return nil }
        self = f
    }
}
