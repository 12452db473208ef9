import Operations

/// Why a binding does nothing now (`--read-only`, say): the key says so instead of acting.
public struct Refusal: Equatable, Sendable {
    /// "read-only"
    public var what: String
    /// "--read-only", "read_only in [bucket site] of ~/.config/pail/pail.conf"
    public var detail: String
    public init(what: String, detail: String) {
        self.what = what
        self.detail = detail
    }

    public static func readOnly(_ detail: String?) -> Refusal? { detail.map { Refusal(what: "read-only", detail: $0) } }
}
