import Foundation
import Operations

/// The header columns of one object, from a HEAD: what `H` shows beside its row.
public struct HeaderColumns: Equatable, Sendable {
    public var etag: String
    public var cacheControl: String?
    public var contentType: String?
    public var contentEncoding: String?
    public init(etag: String, cacheControl: String?, contentType: String?, contentEncoding: String?) {
        self.etag = etag
        self.cacheControl = cacheControl
        self.contentType = contentType
        self.contentEncoding = contentEncoding
    }

    func value(_ key: SortKey) -> String? {
        switch key {
        case .cacheControl: return cacheControl
        case .contentType: return contentType
        case .contentEncoding: return contentEncoding
        default: return nil
        }
    }
}
