import Foundation

/// The intermediate strings of one signature, kept for tests and for `--debug`.
public struct SignatureParts: Sendable {
    public var canonicalRequest: String
    public var stringToSign: String
    public var signature: String
    public var signedHeaders: String
}
