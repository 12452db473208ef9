import Foundation

/// The global options every command takes (the command-line contract in README.md).
public struct GlobalOptions: Sendable {
    public var profile: String?
    public var endpointURL: String?
    public var region: String?
    public var addressing: AddressingStyle?
    public var noSignRequest = false
    /// `HOST:PORT:ADDR:PORT` pairs: connect to ADDR:PORT for requests to HOST:PORT (curl's
    /// CONNECT_TO), for split-horizon DNS and for virtual-hosted names that do not resolve.
    public var connectTo: [String] = []
    /// `--read-only`: nothing but GET and HEAD is sent.
    public var readOnly = false
    public init() {}
}
