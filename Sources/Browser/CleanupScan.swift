import Operations

/// What a cleanup scan below a prefix looks for.
public enum CleanupScan: Equatable, Sendable {
    /// `pail find`'s criteria, as typed on one line (`--name '*.jpg' --larger 1M`).
    case find(criteria: String)
    case duplicates
    case staleStatic
}
