import Foundation

/// One stored part of an upload.
public struct UploadedPart: Sendable, Equatable {
    public var number: Int
    public var size: Int64
}
