import Foundation

public enum AddressingStyle: String, Sendable {
    /// Virtual-hosted for AWS and DigitalOcean Spaces, path style for other endpoints.
    case auto
    case path
    case virtual
}
