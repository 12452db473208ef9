import Foundation
import S3

/// One profile pail can switch to: from ~/.aws/config, ~/.aws/credentials or pail's own
/// configuration file. Never a secret: no key, token or credential process is kept here.
public struct ProfileEntry: Sendable, Equatable {
    public var name: String
    public var region: String?
    /// The endpoint URL it names (nil: AWS's).
    public var endpoint: String?
    /// The files that define it, in the order ~/.aws/config, ~/.aws/credentials, pail's.
    public var sources: [String]
    /// `read_only = true` for it in pail's configuration file.
    public var readOnly: Bool

    public init(name: String, region: String?, endpoint: String?, sources: [String], readOnly: Bool) {
        self.name = name
        self.region = region
        self.endpoint = endpoint
        self.sources = sources
        self.readOnly = readOnly
    }
}
