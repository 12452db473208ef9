import Foundation
import S3

/// What to change: fields to set or remove, metadata to set or remove. Everything else stays.
public struct HeaderChanges: Sendable, Equatable {
    public var setFields: [HeaderField: String] = [:]
    public var removeFields: Set<HeaderField> = []
    public var setMetadata: [String: String] = [:]
    public var removeMetadata: Set<String> = []
    public init() {}

    public var isEmpty: Bool {
        setFields.isEmpty && removeFields.isEmpty && setMetadata.isEmpty && removeMetadata.isEmpty
    }
}
