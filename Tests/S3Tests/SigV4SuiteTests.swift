import Foundation
import XCTest
@testable import S3

/// Runs every case of AWS's SigV4 test suite (../shared/sigv4/v4, or $PAIL_SIGV4_SUITE),
/// in both the header form and the query (presigned) form.
final class SigV4SuiteTests: XCTestCase {
    struct Case {
        var name: String
        var dir: URL
        var context: [String: Any]
        var method: String
        var path: String
        var query: [(String, String)]
        var headers: [(String, String)]
        var body: Data
    }

    static var suiteDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["PAIL_SIGV4_SUITE"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/sigv4/v4")
    }

    func loadCases() throws -> [Case] {
        let dir = Self.suiteDirectory
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw XCTSkip("SigV4 suite not found at \(dir.path); set PAIL_SIGV4_SUITE")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { name in
            let caseDir = dir.appendingPathComponent(name)
            let contextData = try Data(contentsOf: caseDir.appendingPathComponent("context.json"))
            let context = try JSONSerialization.jsonObject(with: contextData) as! [String: Any]
            return try Self.parseRequest(name: name, dir: caseDir, context: context)
        }
    }

    static func parseRequest(name: String, dir: URL, context: [String: Any]) throws -> Case {
        let raw = try String(contentsOf: dir.appendingPathComponent("request.txt"), encoding: .utf8)
        let lines = raw.components(separatedBy: "\n")
        let requestLine = lines[0]
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        var path = target
        var query: [(String, String)] = []
        if let q = target.firstIndex(of: "?") {
            path = String(target[..<q])
            for pair in target[target.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append((URIEncoding.decode(String(kv[0])), kv.count > 1 ? URIEncoding.decode(String(kv[1])) : ""))
            }
        }
        var headers: [(String, String)] = []
        var i = 1
        while i < lines.count, !lines[i].isEmpty {
            let line = lines[i]
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
            i += 1
        }
        let body = i + 1 < lines.count ? lines[(i + 1)...].joined(separator: "\n") : ""
        return Case(name: name, dir: dir, context: context, method: method, path: path, query: query,
                    headers: headers, body: Data(body.utf8))
    }

    func signer(for c: Case) -> SigV4Signer {
        let creds = c.context["credentials"] as! [String: Any]
        return SigV4Signer(
            credentials: Credentials(accessKeyId: creds["access_key_id"] as! String,
                                     secretAccessKey: creds["secret_access_key"] as! String,
                                     sessionToken: creds["token"] as? String),
            region: c.context["region"] as! String,
            service: c.context["service"] as! String,
            normalizePath: c.context["normalize"] as? Bool ?? false,
            addContentSHA256Header: c.context["sign_body"] as? Bool ?? false,
            omitSessionTokenFromSignature: c.context["omit_session_token"] as? Bool ?? false)
    }

    func date(for c: Case) -> Date {
        Timestamps.parseISO8601(c.context["timestamp"] as! String)!
    }

    func expected(_ c: Case, _ file: String) throws -> String {
        try String(contentsOf: c.dir.appendingPathComponent(file), encoding: .utf8)
    }

    func testHeaderFormMatchesEverySuiteCase() throws {
        let cases = try loadCases()
        XCTAssertGreaterThan(cases.count, 30)
        for c in cases {
            let request = SigningRequest(method: c.method, path: c.path, query: c.query, headers: c.headers,
                                         payloadHash: Digest.sha256(c.body).hex)
            let (headers, parts) = signer(for: c).signHeaders(request, date: date(for: c))
            XCTAssertEqual(parts.canonicalRequest, try expected(c, "header-canonical-request.txt"), c.name)
            XCTAssertEqual(parts.stringToSign, try expected(c, "header-string-to-sign.txt"), c.name)
            XCTAssertEqual(parts.signature,
                           try expected(c, "header-signature.txt").trimmingCharacters(in: .whitespacesAndNewlines),
                           c.name)
            let signedRequest = try expected(c, "header-signed-request.txt")
            let authorization = headers.first { $0.0 == "Authorization" }!.1
            XCTAssertTrue(signedRequest.contains("Authorization:\(authorization)"), c.name)
        }
    }

    func testQueryFormMatchesEverySuiteCase() throws {
        let cases = try loadCases()
        for c in cases {
            let request = SigningRequest(method: c.method, path: c.path, query: c.query, headers: c.headers,
                                         payloadHash: Digest.sha256(c.body).hex)
            let expires = c.context["expiration_in_seconds"] as? Int ?? 3600
            let (query, parts) = signer(for: c).presign(request, date: date(for: c), expires: expires)
            XCTAssertEqual(parts.canonicalRequest, try expected(c, "query-canonical-request.txt"), c.name)
            XCTAssertEqual(parts.stringToSign, try expected(c, "query-string-to-sign.txt"), c.name)
            XCTAssertEqual(parts.signature,
                           try expected(c, "query-signature.txt").trimmingCharacters(in: .whitespacesAndNewlines),
                           c.name)
            XCTAssertEqual(query.last?.0, "X-Amz-Signature")
        }
    }

    func testS3NeverNormalizesOrDoubleEncodes() {
        let signer = SigV4Signer(credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"),
                                 region: "us-east-1")
        XCTAssertEqual(signer.canonicalURI("/bucket/a//b/../c d+e%f~"), "/bucket/a//b/../c%20d%2Be%25f~")
        XCTAssertEqual(signer.canonicalURI("/b/é"), "/b/%C3%A9")
    }

    func testSecretNeverInDescriptions() {
        let creds = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        XCTAssertFalse("\(creds)".contains("wJalr"))
        XCTAssertFalse(String(reflecting: creds).contains("wJalr"))
        let signer = SigV4Signer(credentials: creds, region: "us-east-1")
        let (headers, _) = signer.signHeaders(SigningRequest(method: "GET", path: "/"), date: Date())
        XCTAssertFalse(headers.map { "\($0.0): \($0.1)" }.joined().contains("wJalr"))
    }
}
