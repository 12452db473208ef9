import Foundation

/// One invalidation as CloudFront reports it.
public struct CloudFrontInvalidation: Sendable, Equatable {
    public var id: String
    /// `InProgress` or `Completed` (moto writes `COMPLETED`: compared without case).
    public var status: String

    public init(id: String, status: String) {
        self.id = id
        self.status = status
    }

    public var isCompleted: Bool { status.lowercased() == "completed" }
}

/// An origin of a distribution: the host CloudFront fetches from and the path it puts first.
public struct CloudFrontOrigin: Sendable, Equatable {
    public var domainName: String
    /// `/static` when the distribution serves `static/...` keys at its root; "" for none.
    public var originPath: String

    public init(domainName: String, originPath: String) {
        self.domainName = domainName
        self.originPath = originPath
    }
}

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
