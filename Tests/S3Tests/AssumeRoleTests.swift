import Foundation
import XCTest
@testable import S3

final class AssumeRoleTests: XCTestCase {
    let source = Credentials(accessKeyId: "AKIDSOURCE", secretAccessKey: "SOURCESECRET", source: "profile base")
    let request = AssumeRoleRequest(requester: "profile \"deploy\"",
                                    roleArn: "arn:aws:iam::111122223333:role/site deploy",
                                    sessionName: "ops@site", externalId: "x/1", durationSeconds: 900,
                                    endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:9999"), region: "eu-west-1")
    let date = Date(timeIntervalSince1970: 1_700_000_000)

    let answer = Data("""
    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <AssumeRoleResult>
        <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/deploy/ops</Arn></AssumedRoleUser>
        <Credentials>
          <AccessKeyId>ASIATEMP</AccessKeyId>
          <SecretAccessKey>TEMPSECRET</SecretAccessKey>
          <SessionToken>TOKEN+/=</SessionToken>
          <Expiration>2023-11-14T23:13:20Z</Expiration>
        </Credentials>
      </AssumeRoleResult>
    </AssumeRoleResponse>
    """.utf8)

    func testSendsASignedFormAndReadsTheTemporaryCredentials() throws {
        let t = ScriptedTransport([.success(HTTPResponse(status: 200, body: answer))])
        let c = try STS.assumeRole(request, source: source, transport: t, date: date, pause: { _ in })
        XCTAssertEqual(c.accessKeyId, "ASIATEMP")
        XCTAssertEqual(c.secretAccessKey, "TEMPSECRET")
        XCTAssertEqual(c.sessionToken, "TOKEN+/=")
        XCTAssertEqual(c.expiration, Date(timeIntervalSince1970: 1_700_003_600))
        XCTAssertTrue(c.source.contains("arn:aws:iam::111122223333:role/site deploy")
                      && c.source.contains("profile base"), c.source)

        let sent = try XCTUnwrap(t.requests.first)
        XCTAssertEqual(sent.method, "POST")
        XCTAssertEqual(sent.url, "http://127.0.0.1:9999/")
        guard case .data(let body) = sent.body else { return XCTFail("no form body") }
        XCTAssertEqual(String(decoding: body, as: UTF8.self),
                       "Action=AssumeRole&Version=2011-06-15"
                       + "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fsite%20deploy"
                       + "&RoleSessionName=ops%40site&ExternalId=x%2F1&DurationSeconds=900")
        let headers = Dictionary(sent.headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(headers["content-type"], "application/x-www-form-urlencoded; charset=utf-8")
        XCTAssertEqual(headers["x-amz-date"], "20231114T221320Z")
        let auth = try XCTUnwrap(headers["authorization"])
        XCTAssertTrue(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDSOURCE/20231114/eu-west-1/sts/aws4_request"),
                      auth)
        XCTAssertNil(headers["x-amz-content-sha256"], "STS does not take S3's payload header")
        // The signature is the signer's over exactly these bytes.
        let signing = SigningRequest(method: "POST", path: "/", headers: [("Content-Type", headers["content-type"]!),
                                                                          ("Host", "127.0.0.1:9999")],
                                     payloadHash: Digest.sha256(body).hex)
        let expected = SigV4Signer(credentials: source, region: "eu-west-1", service: "sts", normalizePath: true,
                                   addContentSHA256Header: false).signHeaders(signing, date: date).parts.signature
        XCTAssertTrue(auth.hasSuffix("Signature=\(expected)"), auth)
    }

    func testRefusalsAndBadAnswersBecomeOneLineErrorsWithoutSecrets() {
        let denied = Data("""
        <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
        <Message>User is not authorized to perform: sts:AssumeRole</Message></Error>\
        <RequestId>r</RequestId></ErrorResponse>
        """.utf8)
        let cases: [(HTTPResponse, String)] = [
            (HTTPResponse(status: 403, body: denied),
             "AccessDenied: User is not authorized to perform: sts:AssumeRole"),
            (HTTPResponse(status: 400, body: Data("<html>no</html>".utf8)), "HTTP 400 from http://127.0.0.1:9999"),
            (HTTPResponse(status: 200, body: Data("<AssumeRoleResponse/>".utf8)),
             "without AccessKeyId and SecretAccessKey"),
            (HTTPResponse(status: 200, body: Data("not xml".utf8)), "something other than credentials"),
        ]
        for (response, words) in cases {
            let t = ScriptedTransport([.success(response)])
            XCTAssertThrowsError(try STS.assumeRole(request, source: source, transport: t, date: date,
                                                    pause: { _ in })) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(words), text)
                XCTAssertTrue(text.contains("deploy"), text)
                XCTAssertFalse(text.contains("SOURCESECRET") || text.contains("\n"), text)
            }
        }
        let t = ScriptedTransport([.failure(.cannotConnect("Connection refused"))])
        XCTAssertThrowsError(try STS.assumeRole(request, source: source, transport: t, date: date,
                                                pause: { _ in })) { error in
            XCTAssertTrue("\(error)".contains("cannot reach STS at http://127.0.0.1:9999 (Connection refused)"),
                          "\(error)")
        }
    }

    func testBusyOrBrokenAnswersAreTriedThreeTimes() throws {
        let t = ScriptedTransport([.success(HTTPResponse(status: 503, body: Data())),
                                   .failure(.connectionLost("reset")),
                                   .success(HTTPResponse(status: 200, body: answer))])
        var pauses: [TimeInterval] = []
        XCTAssertEqual(try STS.assumeRole(request, source: source, transport: t, date: date,
                                          pause: { pauses.append($0) }).accessKeyId, "ASIATEMP")
        XCTAssertEqual(t.requests.count, 3)
        XCTAssertEqual(pauses.count, 2)
    }

    /// Temporary keys near their end are fetched again before signing; far from it, not.
    func testTemporaryCredentialsAreRefreshedBeforeTheyExpire() throws {
        let listXML = Data("<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>".utf8)
        var clock = Date(timeIntervalSince1970: 1_700_000_000)
        let first = Credentials(accessKeyId: "ASIAFIRST", secretAccessKey: "S1", sessionToken: "T1",
                                expiration: clock.addingTimeInterval(3600), source: "role")
        let t = ScriptedTransport(Array(repeating: .success(HTTPResponse(status: 200, body: listXML)), count: 4))
        let config = ClientConfiguration(endpoint: try S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: first)
        let client = S3Client(config: config, makeTransport: { t }, now: { clock }, sleep: { _ in })
        var refreshes = 0
        var failNext = false
        client.refreshCredentials = {
            refreshes += 1
            if failNext { throw S3Error.local("STS is down") }
            return Credentials(accessKeyId: "ASIASECOND", secretAccessKey: "S2", sessionToken: "T2",
                               expiration: clock.addingTimeInterval(3600), source: "role")
        }
        func signedKey() -> String? {
            let auth = t.requests.last?.headers.first { $0.0.lowercased() == "authorization" }?.1 ?? ""
            return auth.components(separatedBy: "Credential=").last?.components(separatedBy: "/").first
        }
        _ = try client.listBuckets()
        XCTAssertEqual(signedKey(), "ASIAFIRST")
        XCTAssertEqual(refreshes, 0, "an hour left: no refresh")
        clock = clock.addingTimeInterval(3400)
        _ = try client.listBuckets()
        XCTAssertEqual(signedKey(), "ASIASECOND")
        XCTAssertEqual(t.requests.last?.headers.first { $0.0.lowercased() == "x-amz-security-token" }?.1, "T2")
        XCTAssertEqual(client.credentials?.accessKeyId, "ASIASECOND")
        XCTAssertEqual(refreshes, 1)
        // A failed refresh keeps the old keys (the server says when they stop working).
        clock = clock.addingTimeInterval(3500)
        failNext = true
        _ = try client.listBuckets()
        XCTAssertEqual(signedKey(), "ASIASECOND")
        XCTAssertEqual(refreshes, 2)
    }
}
