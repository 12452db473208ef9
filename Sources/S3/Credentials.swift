import Foundation

/// Keys for signing. The secret never appears in a description, a log or an error.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working (credential_process, STS), if known.
    public var expiration: Date?
    /// Where they came from, for messages ("environment", "profile dev in ~/.aws/credentials").
    public var source: String

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil,
                expiration: Date? = nil, source: String = "") {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    public var isTemporary: Bool { sessionToken != nil || expiration != nil }

    public var description: String {
        "Credentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>, source: \(source))"
    }

    public var debugDescription: String { description }
}
