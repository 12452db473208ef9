import Operations

/// What a header edit changed on a bucket with a CDN, carried by its report so the report can
/// offer to invalidate it (`i`): the targets (each key, or one prefix past 100 keys) and the
/// CDN that serves the bucket. Made by the session, which reads the configuration file and,
/// when it names no CDN, looks for a CloudFront distribution with the bucket as its origin.
public struct InvalidationOffer: Equatable, Sendable {
    public var bucket: String
    public var targets: [InvalidationTarget]
    /// How many objects changed (the targets may be one prefix for all of them).
    public var changed: Int
    /// The CDN as the report names it: "CloudFront distribution E2QWRUHEXAMPLE", "purge_command".
    public var cdn: String
    /// A distribution found by its origin (none configured): invalidated without looking again.
    public var distribution: String?

    public init(bucket: String, targets: [InvalidationTarget], changed: Int, cdn: String, distribution: String?) {
        self.bucket = bucket
        self.targets = targets
        self.changed = changed
        self.cdn = cdn
        self.distribution = distribution
    }

    /// "3 changed objects", "the changed objects under static/ (250)".
    public var what: String {
        if targets.count == 1, case .prefix(let p) = targets[0] {
            return "the \(changed) changed objects under /\(Formatting.safe(p))*"
        }
        return Formatting.things(changed, "changed object")
    }
}

extension BrowserState {
    /// An invalidation's end, said on the status line too: the report may be closed by then.
    mutating func receiveInvalidation(_ event: BrowserEvent) -> [BrowserEffect] {
        guard case .invalidated(_, let result) = event else { return [] }
        switch result {
        case .success(let lines): return [setExpiringStatus(lines.last ?? "invalidated")]
        case .failure(let e): setStatus("invalidation failed: " + e.message, error: true)
        }
        return []
    }
}

extension Action {
    public static let invalidateCDN: Action = "invalidateCDN"
}
