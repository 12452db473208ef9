import Operations

/// The header audit of a prefix: rows stream in; rules filter; matching rows can be marked.
public struct AuditView: Equatable, Sendable {
    public enum Column: String, CaseIterable, Sendable { case key, size, date, type, cache }
    public static let ruleNames = ["Cache-Control missing", "max-age under a day", ".css/.js not gzip-encoded",
                                   "type ≠ extension"]
    /// The same rules in a few letters, for a narrow terminal.
    public static let shortRuleNames = ["no Cache-Control", "max-age<1d", "css/js not gzip", "type≠ext"]
    public var bucket: String
    public var prefix: String
    public var entries: [AuditEntry] = []
    public var rules: [Bool] = [false, false, false, false]
    public var sort: Column = .key
    public var reversed = false
    public var cursor = 0
    public var scroll = 0
    public var finished = false

    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    static let ruleValues: [AuditRule] = [.missing("cache-control"), .maxAgeUnder(86400), .notCompressed, .typeMismatch]

    public var visible: [AuditEntry] {
        let active = zip(rules, Self.ruleValues).filter { $0.0 }.map { $0.1 }
        var rows = entries.filter { e in
            let row = AuditRow(key: e.key, size: e.size, lastModified: nil, contentType: e.contentType,
                               cacheControl: e.cacheControl, contentEncoding: e.contentEncoding)
            return active.allSatisfy { $0.matches(row) }
        }
        switch sort {
        case .key: break
        case .size: rows.sort { $0.size > $1.size }
        case .date: rows.sort { $0.modified > $1.modified }
        case .type: rows.sort { ($0.contentType ?? "") < ($1.contentType ?? "") }
        case .cache: rows.sort { ($0.cacheControl ?? "") < ($1.cacheControl ?? "") }
        }
        if reversed { rows.reverse() }
        return rows
    }
}
