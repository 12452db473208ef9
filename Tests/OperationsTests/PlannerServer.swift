import Foundation
import S3
@testable import Operations

/// A small in-memory S3 for the planners: listings (by `KeyListTransport`, with delimiters
/// and continuation tokens as the recursive lister asks), HEAD, the first bytes of an object,
/// the self-copy of a header edit (refused when If-Match is not the stored ETag, as S3 does),
/// and the ACL, ownership and tagging look-ups an edit makes. It records every copy.
final class PlannerServer: HTTPTransport, @unchecked Sendable {
    struct Object {
        var etag: String
        var headers: [(String, String)]
        var body = "plain text"
    }

    private let lock = NSLock()
    private var objects: [ObjectKey: Object]
    private(set) var copies: [(key: String, headers: [(String, String)])] = []

    /// Keys are told apart by bytes: NFC and NFD spellings are two objects.
    init(_ objects: [(String, Object)]) {
        self.objects = Dictionary(objects.map { (ObjectKey($0.0), $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    func replace(_ key: String, etag: String) { lock.withLock { objects[ObjectKey(key)]?.etag = etag } }
    var copied: [(key: String, headers: [(String, String)])] { lock.withLock { copies } }

    func error(_ status: Int, _ code: String) -> HTTPResponse {
        HTTPResponse(status: status, body: Data("<Error><Code>\(code)</Code><Message>m</Message></Error>".utf8))
    }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        let parts = request.path.split(separator: "/", maxSplits: 1).map(String.init)
        let key = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        let query = Set(request.query.map(\.0))
        let header = { (name: String) in request.headers.first { $0.0.lowercased() == name }?.1 }
        if request.method == "GET" && key.isEmpty && query.contains("list-type") {
            let keys = lock.withLock { objects.keys.map(\.string) }
            return try KeyListTransport(keys: keys, pageSize: 1000).send(request, sink: sink, progress: progress,
                                                                          cancel: cancel)
        }
        return lock.withLock {
            switch (request.method, query) {
            case ("GET", ["ownershipControls"]): return error(404, "OwnershipControlsNotFoundError")
            case ("GET", ["acl"]): return error(501, "NotImplemented")
            case ("GET", ["tagging"]): return HTTPResponse(status: 200, body: Data())
            case ("HEAD", []):
                guard let o = objects[ObjectKey(key)] else { return HTTPResponse(status: 404) }
                return HTTPResponse(status: 200, headers: [("Content-Length", String(o.body.utf8.count)),
                                                           ("ETag", "\"\(o.etag)\"")] + o.headers)
            case ("GET", []):
                guard let o = objects[ObjectKey(key)] else { return error(404, "NoSuchKey") }
                let body = Data(o.body.utf8.prefix(2))
                if let sink { try? body.withUnsafeBytes { try sink.write($0) } }
                return HTTPResponse(status: 206, headers: [("Content-Length", String(body.count)),
                                                           ("Content-Range", "bytes 0-1/\(o.body.utf8.count)"),
                                                           ("ETag", "\"\(o.etag)\"")],
                                    body: sink == nil ? body : Data())
            case ("PUT", []) where header("x-amz-copy-source") != nil:
                guard var o = objects[ObjectKey(key)] else { return error(404, "NoSuchKey") }
                let unquoted = CharacterSet(charactersIn: "\"")
                if let match = header("x-amz-copy-source-if-match") ?? header("if-match"),
                   match.trimmingCharacters(in: unquoted) != o.etag {
                    return error(412, "PreconditionFailed")
                }
                let kept = request.headers.filter {
                    let n = $0.0.lowercased()
                    return n.hasPrefix("x-amz-meta-")
                        || ["cache-control", "content-type", "content-encoding"].contains(n)
                }
                o.headers = kept
                objects[ObjectKey(key)] = o
                copies.append((key, request.headers))
                return HTTPResponse(status: 200, body: Data(
                    "<CopyObjectResult><ETag>&quot;\(o.etag)&quot;</ETag></CopyObjectResult>".utf8))
            default:
                return error(400, "Unexpected")
            }
        }
    }

    static func client(_ server: PlannerServer) -> S3Client {
        let endpoint = try! S3Endpoint(parsing: "http://127.0.0.1:1")
        let config = ClientConfiguration(endpoint: endpoint, region: "us-east-1", addressing: .path,
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        return S3Client(config: config, makeTransport: { server }, sleep: { _ in })
    }
}
