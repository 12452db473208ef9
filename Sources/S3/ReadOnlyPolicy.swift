import Foundation

/// Which requests pail refuses to send: all writes (`--read-only`, a profile's `read_only`)
/// or those to some buckets (a bucket's `read_only` in pail's configuration file).
public struct ReadOnlyPolicy: Sendable, Equatable {
    /// Why every write is refused ("--read-only"), or nil.
    public var everywhere: String?
    /// Buckets whose writes are refused, each with why ("read_only in FILE").
    public var buckets: [String: String] = [:]

    public init(everywhere: String? = nil, buckets: [String: String] = [:]) {
        self.everywhere = everywhere
        self.buckets = buckets
    }

    /// Why a write to `bucket` is refused, or nil when it may be sent.
    public func reason(for bucket: String?) -> String? {
        everywhere ?? bucket.flatMap { buckets[$0] }
    }

    /// Only GET and HEAD read; every other method changes something.
    public static func writes(_ method: String) -> Bool { method != "GET" && method != "HEAD" }
}
