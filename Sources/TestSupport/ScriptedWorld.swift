import Foundation
import S3
import Session

/// What a session touches outside S3, scripted and recorded: the public-URL HEADs (with
/// their answers), the bytes written to the terminal (OSC 52), the local clipboard tool
/// (none by default, so a test never runs xclip).
public final class ScriptedWorld: @unchecked Sendable {
    private let lock = NSLock()
    private var heads: [String] = []
    private var terminal: [String] = []
    private var answer: (String) -> Result<HTTPResponse, TransportError>
    /// CloudFront's side (an invalidation from the report), scripted like the S3 transport.
    public let cloudFront = ScriptedTransport()
    /// Whether the details pane reads tags and ACLs too (off: the tests counting requests).
    public var readsObjectAccess = false

    public init() {
        answer = { _ in .failure(.cannotConnect("no public answer scripted")) }
    }

    /// Answers every public-URL HEAD with `response(url)`.
    public func answerPublicHEAD(_ response: @escaping (String) -> HTTPResponse) {
        lock.withLock { answer = { .success(response($0)) } }
    }

    /// The public URLs HEADed so far.
    public var publicHEADs: [String] { lock.withLock { heads } }
    /// What went to the terminal (OSC 52 sequences), one string per write.
    public var terminalWrites: [String] { lock.withLock { terminal } }

    public var io: SessionIO {
        SessionIO(
            headPublicURL: { [self] url, _ in
                let answer = lock.withLock {
                    heads.append(url)
                    return self.answer
                }
                do {
                    return try answer(url).get()
                } catch let t as TransportError {
                    throw S3Error.transport(t, endpoint: url)
                }
            },
            writeToTerminal: { [self] text in lock.withLock { terminal.append(text) } },
            copyWithLocalTool: { _, _ in nil },
            cloudFrontTransport: { [cloudFront] in cloudFront },
            pause: { _ in }).readingObjectAccess(readsObjectAccess)
    }
}
