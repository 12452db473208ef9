#if PAIL_FUZZ
import Foundation
import S3

/// Feeds the input as a server's answer body to the real client calls, so the whole path is
/// fuzzed: the status check, the 200-with-`<Error>` check, the parser and what the call makes
/// of its result. Each call gets one answer; any further request (a next page, a retry, a
/// redirect) fails at the transport, so a loop in the client cannot hide behind the fuzzer.
enum XMLAnswers {
    static func run(_ target: FuzzTarget, _ body: Data) {
        let server = OneAnswerTransport()
        let endpoint = S3Endpoint(scheme: "http", host: "127.0.0.1", port: 9, basePath: "", isDefaultAWS: false)
        let local = client(server, endpoint: endpoint)
        func answer(_ status: Int = 200, _ call: () throws -> Void) {
            server.answer = HTTPResponse(status: status, headers: [("Content-Type", "application/xml")], body: body)
            do { try call() } catch { _ = String(describing: error) }
        }
        switch target {
        case .listObjects:
            answer { _ = try local.listObjectsV2(bucket: "b", prefix: "media/", delimiter: "/") }
            answer { try local.listAllPages(bucket: "b") { _ in true } }
        case .listBuckets:
            answer { _ = try local.listBuckets() }
        case .error:
            // The same body as a 200 to a copy (S3 rule 5), as the usual failures, and as
            // the redirects AWS answers with, which the client follows once.
            answer { _ = try local.copyObject(bucket: "b", key: "k", sourceBucket: "b", sourceKey: "s", headers: nil) }
            for status in [400, 403, 404, 409, 500, 503] {
                answer(status) { _ = try local.listObjectsV2(bucket: "b") }
            }
            let aws = client(server, endpoint: .aws(region: "us-east-1"))
            answer(301) { _ = try aws.listObjectsV2(bucket: "b") }
            answer(400) { _ = try aws.headObject(bucket: "b", key: "k") }
        case .versions:
            answer { _ = try local.listObjectVersions(bucket: "b", prefix: "media/") }
        case .multipart:
            answer { _ = try local.createMultipartUpload(bucket: "b", key: "k", headers: []) }
            answer {
                _ = try local.uploadPartCopy(bucket: "b", key: "k", uploadId: "u", partNumber: 1, sourceBucket: "b",
                                             sourceKey: "s", range: 0...9, ifMatch: "e")
            }
            answer { _ = try local.completeMultipartUpload(bucket: "b", key: "k", uploadId: "u", parts: [(1, "e")]) }
            answer { _ = try local.copyObject(bucket: "b", key: "k", sourceBucket: "b", sourceKey: "s", headers: []) }
        case .smallResults:
            answer { _ = try local.deleteObjects(bucket: "b", keys: [("a", nil), ("b", "v")]) }
            answer { _ = try local.getObjectAcl(bucket: "b", key: "k") }
            answer { _ = try local.getObjectTagging(bucket: "b", key: "k") }
            answer { _ = try local.getBucketVersioning(bucket: "b") }
            answer { _ = local.getBucketOwnership(bucket: "b") }
        default:
            preconditionFailure("not an XML target: \(target)")
        }
    }

    /// Unsigned (signing is not under test and would only slow each run) and without pauses
    /// between retries.
    private static func client(_ server: OneAnswerTransport, endpoint: S3Endpoint) -> S3Client {
        let config = ClientConfiguration(endpoint: endpoint, region: "us-east-1", credentials: nil)
        return S3Client(config: config, makeTransport: { server }, sleep: { _ in })
    }
}

/// A server that answers one request with the fuzzer's body and then stops answering.
final class OneAnswerTransport: HTTPTransport {
    var answer: HTTPResponse?

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        guard let response = answer else { throw TransportError.other("the fuzzing server answers only once") }
        answer = nil
        guard let sink, (200..<300).contains(response.status) else { return response }
        try response.body.withUnsafeBytes { try sink.write($0) }
        try sink.finish()
        return HTTPResponse(status: response.status, headers: response.headers)
    }
}
#endif
