import Foundation
import S3

/// A profile in pail's configuration file: `[profile NAME]` with settings of its own (a
/// local server's endpoint, say) on top of, or instead of, a profile of ~/.aws.
public struct ProfileSettings: Sendable, Equatable {
    public var region: String?
    public var endpointURL: String?
    public var addressing: AddressingStyle?
    /// The ~/.aws profile whose credentials it uses; nil: the one of the same name if there
    /// is one, else the environment's (AWS_ACCESS_KEY_ID, the machine's role).
    public var awsProfile: String?
    public var readOnly = false
    public init() {}
}
