import Foundation

/// What pail needs of a distribution: its id, its names and its origins.
public struct CloudFrontDistribution: Sendable, Equatable {
    public var id: String
    public var domainName: String
    public var aliases: [String]
    public var origins: [CloudFrontOrigin]

    public init(id: String, domainName: String, aliases: [String] = [], origins: [CloudFrontOrigin] = []) {
        self.id = id
        self.domainName = domainName
        self.aliases = aliases
        self.origins = origins
    }

    /// Distribution and invalidation ids are upper-case letters and digits (`E2QWRUHAPOMQZL`).
    /// They go into request paths and onto the terminal, so anything else is refused.
    public static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64
            && id.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
