import Foundation
import Operations
import S3

/// What the session does outside S3 and the file system: the public-URL HEAD (unsigned,
/// through its own transport, not the client's), the OSC 52 bytes for the terminal, and the
/// local clipboard tool. `standard` does the real thing; tests replace them, so a session
/// runs with no terminal, no clipboard and no network.
public struct SessionIO: Sendable {
    /// HEAD on a public URL (url, CA bundle).
    public var headPublicURL: @Sendable (String, String?) throws -> HTTPResponse
    /// Bytes for the terminal (the OSC 52 sequence), written between curses frames.
    public var writeToTerminal: @Sendable (String) -> Void
    /// Feeds a local clipboard tool; returns its name, nil when there is none.
    public var copyWithLocalTool: @Sendable (String, [String: String]) -> String?
    /// The transport CloudFront is called through (an invalidation from the report); nil: curl.
    public var cloudFrontTransport: @Sendable () -> HTTPTransport?
    /// How an invalidation waits between polls of CloudFront.
    public var pause: @Sendable (TimeInterval) -> Void
    /// Whether the details HEAD also reads the object's tags and ACL (tests that count
    /// requests leave it off).
    public var readsObjectAccess = true

    public init(headPublicURL: @escaping @Sendable (String, String?) throws -> HTTPResponse,
                writeToTerminal: @escaping @Sendable (String) -> Void,
                copyWithLocalTool: @escaping @Sendable (String, [String: String]) -> String?,
                cloudFrontTransport: @escaping @Sendable () -> HTTPTransport? = { nil },
                pause: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.headPublicURL = headPublicURL
        self.writeToTerminal = writeToTerminal
        self.copyWithLocalTool = copyWithLocalTool
        self.cloudFrontTransport = cloudFrontTransport
        self.pause = pause
    }

    public static let standard = SessionIO(
        headPublicURL: { url, caBundle in try PublicURLProbe.head(url, caBundle: caBundle) },
        writeToTerminal: { text in text.withCString { p in _ = Foundation.write(1, p, strlen(p)) } },
        copyWithLocalTool: { text, environment in Clipboard.copyWithLocalTool(text, environment: environment) })
}

extension SessionIO {
    /// This IO, reading tags and ACLs with the details or not.
    public func readingObjectAccess(_ on: Bool) -> SessionIO {
        var io = self
        io.readsObjectAccess = on
        return io
    }
}
