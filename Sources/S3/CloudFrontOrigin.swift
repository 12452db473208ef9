import Foundation

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
