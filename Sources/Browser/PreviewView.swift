import Foundation
import Operations

/// The start of an object, shown full screen; `content` is nil until it has arrived.
public struct PreviewView: Equatable, Sendable {
    public var bucket: String
    public var key: String
    public var content: ObjectPreview?
    public var error: String?
    public var scroll = 0
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }
}
