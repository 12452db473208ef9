import Foundation

/// A bucket's incomplete multipart uploads, counted when the bucket was opened (one page of
/// them) or listed in full by its uploads page (M).
public struct UploadTotal: Equatable, Sendable {
    public var count: Int
    /// The first page was full: there may be more than `count`.
    public var atLeast: Bool
    /// Their parts' bytes; nil when there were too many to ask each one's parts (M does).
    public var bytes: Int64?
    /// Why they could not be counted (said in the bucket's details only).
    public var error: String?

    public init(count: Int, atLeast: Bool = false, bytes: Int64?, error: String? = nil) {
        self.count = count
        self.atLeast = atLeast
        self.bytes = bytes
        self.error = error
    }

    /// "2 incomplete uploads, 6.0 MiB", "1,000 or more incomplete uploads, size on M".
    public var text: String {
        let noun = count == 1 && !atLeast ? "incomplete upload" : "incomplete uploads"
        let size = bytes.map { Formatting.size($0) } ?? "size on M"
        return Formatting.count(count) + (atLeast ? " or more " : " ") + noun + ", " + size
    }
}
