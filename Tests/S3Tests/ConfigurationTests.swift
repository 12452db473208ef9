import Foundation
import XCTest
@testable import S3

final class ConfigurationTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("pail-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"),
                                                withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: home.appendingPathComponent(".aws/\(name)"), atomically: true, encoding: .utf8)
    }

    func resolve(_ options: GlobalOptions = GlobalOptions(), env: [String: String] = [:],
                 assume: @escaping (AssumeRoleRequest, Credentials?) throws -> Credentials = { r, _ in
                     throw S3Error.local("STS called for \(r.roleArn)")
                 },
                 fetchLocal: @escaping CredentialFetch = { _, url, _ in
                     throw TransportError.cannotConnect("nothing at \(url) in tests")
                 },
                 fetchSSO: @escaping CredentialFetch = { _, url, _ in
                     throw TransportError.cannotConnect("nothing at \(url) in tests")
                 },
                 askMFA: @escaping (String, String) -> String? = { _, _ in nil },
                 run: @escaping (String) throws -> String = { _ in "" }) throws -> ClientConfiguration {
        try ClientConfiguration.resolve(options, environment: env.merging(["HOME": home.path]) { a, _ in a },
                                        runProcess: run,
                                        assumeRole: assume, fetchLocal: fetchLocal, fetchSSO: fetchSSO, askMFA: askMFA)
    }

    func testEnvironmentKeysComeFirstButProfileFlagSkipsThem() throws {
        try write("credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n"
                  + "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVSECRET\n")
        let env = ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "ENVSECRET", "AWS_SESSION_TOKEN": "TOK"]
        let c = try resolve(env: env)
        XCTAssertEqual(c.credentials?.accessKeyId, "ENVKEY")
        XCTAssertEqual(c.credentials?.sessionToken, "TOK")
        var o = GlobalOptions()
        o.profile = "dev"
        XCTAssertEqual(try resolve(o, env: env).credentials?.accessKeyId, "DEVKEY")
        XCTAssertEqual(try resolve(env: ["AWS_PROFILE": "dev"]).credentials?.accessKeyId, "DEVKEY")
        XCTAssertEqual(try resolve().credentials?.accessKeyId, "FILEKEY")
    }

    func testConfigFileRegionEndpointAndNestedS3Settings() throws {
        try write("config", """
        # comment
        [default]
        region = eu-west-3
        [profile minio]
        aws_access_key_id = MK
        aws_secret_access_key = MS
        region = us-west-2
        s3 =
            addressing_style = virtual
            endpoint_url = http://127.0.0.1:9000
        """)
        let d = try resolve(env: ["AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S"])
        XCTAssertEqual(d.region, "eu-west-3")
        XCTAssertEqual(d.endpoint, S3Endpoint.aws(region: "eu-west-3"))
        var o = GlobalOptions()
        o.profile = "minio"
        let m = try resolve(o)
        XCTAssertEqual(m.credentials?.accessKeyId, "MK")
        XCTAssertEqual(m.region, "us-west-2")
        XCTAssertEqual(m.addressing, .virtual)
        XCTAssertEqual(m.endpoint.display, "http://127.0.0.1:9000")
        // Flags and environment beat the file.
        o.region = "ap-south-1"
        o.endpointURL = "https://other.example:8443"
        let f = try resolve(o, env: ["AWS_ENDPOINT_URL_S3": "http://ignored"])
        XCTAssertEqual(f.region, "ap-south-1")
        XCTAssertEqual(f.endpoint.display, "https://other.example:8443")
        let e = try resolve(env: ["AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S",
                                  "AWS_ENDPOINT_URL": "http://generic",
                                  "AWS_ENDPOINT_URL_S3": "http://s3specific:1", "AWS_DEFAULT_REGION": "sa-east-1",
                                  "AWS_CA_BUNDLE": "/ca.pem"])
        XCTAssertEqual(e.endpoint.display, "http://s3specific:1")
        XCTAssertEqual(e.region, "sa-east-1")
        XCTAssertEqual(e.caBundle, "/ca.pem")
    }

    func testSourceProfileAndCredentialProcess() throws {
        try write("credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n")
        try write("config", "[profile child]\nsource_profile = base\n"
                  + "[profile proc]\ncredential_process = /bin/get-creds --x\n"
                  + "[profile role]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\n")
        var o = GlobalOptions()
        o.profile = "child"
        XCTAssertEqual(try resolve(o).credentials?.accessKeyId, "BASEKEY")
        o.profile = "proc"
        var ran: String?
        let c = try resolve(o, run: { cmd in
            ran = cmd
            return #"{"Version": 1, "AccessKeyId": "PK", "SecretAccessKey": "PS", "SessionToken": "PT", "#
                + #""Expiration": "2030-01-01T00:00:00Z"}"#
        })
        XCTAssertEqual(ran, "/bin/get-creds --x")
        XCTAssertEqual(c.credentials?.sessionToken, "PT")
        XCTAssertTrue(c.credentials!.isTemporary)
        XCTAssertThrowsError(try resolve(o, run: { _ in "not json" }))
    }

    func testRoleProfilesAssumeTheirRoleWithTheSourceProfilesKeys() throws {
        try write("credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n")
        try write("config", """
        [profile role]
        source_profile = base
        role_arn = arn:aws:iam::111122223333:role/deploy
        role_session_name = ops
        external_id = ext-1
        duration_seconds = 1800
        region = eu-west-1
        [profile chained]
        source_profile = role
        role_arn = arn:aws:iam::444455556666:role/audit
        [profile custom-sts]
        source_profile = base
        role_arn = arn:aws:iam::1:role/r
        services = local
        [services local]
        sts =
          endpoint_url = http://127.0.0.1:9000
        [profile self]
        role_arn = arn:aws:iam::1:role/self
        source_profile = self
        aws_access_key_id = SELFKEY
        aws_secret_access_key = SELFSECRET
        [profile from-env]
        role_arn = arn:aws:iam::1:role/env
        credential_source = Environment
        """)
        var calls: [(AssumeRoleRequest, Credentials?)] = []
        let sts: (AssumeRoleRequest, Credentials?) throws -> Credentials = { request, source in
            calls.append((request, source))
            return Credentials(accessKeyId: "ASIA\(calls.count)", secretAccessKey: "TEMPSECRET",
                               sessionToken: "TOKEN\(calls.count)",
                               source: "role \(request.roleArn) assumed with \(source?.source ?? "a token")")
        }
        var o = GlobalOptions()
        o.profile = "role"
        let c = try resolve(o, assume: sts)
        XCTAssertEqual(c.credentials?.accessKeyId, "ASIA1")
        XCTAssertEqual(c.credentials?.sessionToken, "TOKEN1")
        XCTAssertEqual(calls.count, 1)
        let (request, source) = calls[0]
        XCTAssertEqual(source?.accessKeyId, "BASEKEY")
        XCTAssertEqual(request.roleArn, "arn:aws:iam::111122223333:role/deploy")
        XCTAssertEqual(request.sessionName, "ops")
        XCTAssertEqual(request.externalId, "ext-1")
        XCTAssertEqual(request.durationSeconds, 1800)
        XCTAssertEqual(request.endpoint.display, "https://sts.eu-west-1.amazonaws.com",
                       "regional STS in the profile's region")
        XCTAssertEqual(request.region, "eu-west-1")

        // A role whose source profile is itself a role: two calls, the second signed by the first's keys.
        calls.removeAll()
        o.profile = "chained"
        XCTAssertEqual(try resolve(o, assume: sts).credentials?.accessKeyId, "ASIA2")
        XCTAssertEqual(calls.map(\.0.roleArn), ["arn:aws:iam::111122223333:role/deploy",
                                                "arn:aws:iam::444455556666:role/audit"])
        XCTAssertEqual(calls[1].1?.accessKeyId, "ASIA1")
        XCTAssertTrue(calls[1].0.sessionName.hasPrefix("pail-"))

        // The STS endpoint from a services section, and from the environment before it.
        calls.removeAll()
        o.profile = "custom-sts"
        _ = try resolve(o, assume: sts)
        XCTAssertEqual(calls.last?.0.endpoint.display, "http://127.0.0.1:9000")
        _ = try resolve(o, env: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:7000"], assume: sts)
        XCTAssertEqual(calls.last?.0.endpoint.display, "http://127.0.0.1:7000")
        XCTAssertEqual(calls.last?.0.region, "us-east-1")

        // A profile naming itself signs with its own keys; credential_source = Environment with the environment's.
        o.profile = "self"
        _ = try resolve(o, assume: sts)
        XCTAssertEqual(calls.last?.1?.accessKeyId, "SELFKEY")
        o.profile = "from-env"
        _ = try resolve(o, env: ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "ENVSECRET"], assume: sts)
        XCTAssertEqual(calls.last?.1?.accessKeyId, "ENVKEY")
        XCTAssertEqual(calls.last?.0.roleArn, "arn:aws:iam::1:role/env")
    }

    func testAnMFAProtectedRoleAsksForTheCode() throws {
        try write("credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n")
        try write("config", "[profile mfa]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\n"
                  + "mfa_serial = arn:aws:iam::1:mfa/me\n")
        var o = GlobalOptions()
        o.profile = "mfa"
        var asked: [(String, String)] = []
        var sent: AssumeRoleRequest?
        let c = try resolve(o, assume: { r, _ in
                                sent = r; return Credentials(accessKeyId: "ASIAMFA", secretAccessKey: "S")
                            },
                            askMFA: { serial, profile in asked.append((serial, profile)); return " 123456 " })
        XCTAssertEqual(c.credentials?.accessKeyId, "ASIAMFA")
        XCTAssertEqual(asked.map(\.0), ["arn:aws:iam::1:mfa/me"])
        XCTAssertEqual(asked.map(\.1), ["mfa"])
        XCTAssertEqual(sent?.mfaSerial, "arn:aws:iam::1:mfa/me")
        XCTAssertEqual(sent?.mfaCode, "123456")
        XCTAssertTrue(STS.formBody(sent!).hasSuffix("&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fme&TokenCode=123456"),
                      STS.formBody(sent!))
    }

    func testRoleProfilesPailCannotServeSayWhatToDoInstead() throws {
        try write("credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n")
        try write("config", """
        [profile mfa]
        source_profile = base
        role_arn = arn:aws:iam::1:role/r
        mfa_serial = arn:aws:iam::1:mfa/me
        [profile ec2]
        role_arn = arn:aws:iam::1:role/r
        credential_source = Ec2InstanceMetadata
        [profile orphan]
        role_arn = arn:aws:iam::1:role/r
        [profile empty-source]
        role_arn = arn:aws:iam::1:role/r
        source_profile = nothing
        [profile nothing]
        region = us-east-1
        [profile long]
        source_profile = base
        role_arn = arn:aws:iam::1:role/r
        duration_seconds = 99999
        [profile loop]
        source_profile = loop2
        role_arn = arn:aws:iam::1:role/r
        [profile loop2]
        source_profile = loop
        role_arn = arn:aws:iam::1:role/r
        """)
        let expected = ["mfa": "no terminal to ask on: export temporary keys with "
                            + "`aws configure export-credentials --profile mfa",
                        "ec2": "credential_source = Ec2InstanceMetadata",
                        "orphan": "neither source_profile, credential_source nor web_identity_token_file",
                        "empty-source": "profile \"nothing\" (source_profile), which has none",
                        "long": "give 900 to 43200", "loop": "too long or loops"]
        for (profile, words) in expected {
            var o = GlobalOptions()
            o.profile = profile
            XCTAssertThrowsError(try resolve(o, assume: { _, _ in
                XCTFail("STS called for \(profile)"); throw S3Error.cancelled
            })) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(words), "\(profile): \(text)")
                XCTAssertFalse(text.contains("BASESECRET"))
                XCTAssertFalse(text.contains("\n"))
            }
        }
    }

    func testMissingCredentialsListWhereWeLooked() throws {
        XCTAssertThrowsError(try resolve()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("AWS_ACCESS_KEY_ID"), text)
            XCTAssertTrue(text.contains(".aws/credentials"), text)
            XCTAssertTrue(text.contains(".aws/config"), text)
            XCTAssertTrue(text.contains("the EC2 instance metadata service at http://169.254.169.254"), text)
        }
        var o = GlobalOptions()
        o.noSignRequest = true
        XCTAssertNil(try resolve(o).credentials)
        o.profile = "ghost"
        XCTAssertThrowsError(try resolve(o)) { XCTAssertTrue("\($0)".contains("ghost")) }
    }

    func testAWebIdentityTokenFromTheEnvironmentOrAProfileIsExchangedWithoutKeys() throws {
        try write("credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n")
        try write("config", "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /run/token\n")
        var calls: [(AssumeRoleRequest, Credentials?)] = []
        let sts: (AssumeRoleRequest, Credentials?) throws -> Credentials = { request, source in
            calls.append((request, source))
            return Credentials(accessKeyId: "ASIAWEB", secretAccessKey: "S", sessionToken: "T", source: "web")
        }
        // The environment's token (a Kubernetes service account) comes before the profile's keys.
        let env = ["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/pod",
                   "AWS_ROLE_SESSION_NAME": "pod-1"]
        XCTAssertEqual(try resolve(env: env, assume: sts).credentials?.accessKeyId, "ASIAWEB")
        XCTAssertEqual(calls.last?.0.webIdentityTokenFile, "/var/run/secrets/token")
        XCTAssertEqual(calls.last?.0.roleArn, "arn:aws:iam::1:role/pod")
        XCTAssertEqual(calls.last?.0.sessionName, "pod-1")
        XCTAssertNil(calls.last?.1, "nothing signs a web identity call")
        var o = GlobalOptions()
        o.profile = "ci"
        _ = try resolve(o, assume: sts)
        XCTAssertEqual(calls.last?.0.webIdentityTokenFile, "/run/token")
        XCTAssertEqual(calls.last?.0.roleArn, "arn:aws:iam::1:role/ci")
        XCTAssertThrowsError(try resolve(env: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"], assume: sts)) {
            XCTAssertTrue("\($0)".contains("AWS_ROLE_ARN is not"), "\($0)")
        }
    }

    /// Container and instance credentials come last, each only where it is configured or answers.
    func testTheMachinesCredentialsComeLast() throws {
        var asked: [String] = []
        let imds: CredentialFetch = { method, url, headers in
            asked.append("\(method) \(url)")
            switch url {
            case "http://169.254.169.254/latest/api/token":
                XCTAssertEqual(headers.first?.0, "X-aws-ec2-metadata-token-ttl-seconds")
                return HTTPResponse(status: 200, body: Data("TOKEN".utf8))
            case "http://169.254.169.254/latest/meta-data/iam/security-credentials/":
                XCTAssertEqual(headers.first?.1, "TOKEN")
                return HTTPResponse(status: 200, body: Data("web-server\n".utf8))
            case "http://169.254.169.254/latest/meta-data/iam/security-credentials/web-server":
                return HTTPResponse(status: 200, body: Data((#"{"Code": "Success", "AccessKeyId": "ASIAEC2", "#
                    + #""SecretAccessKey": "S", "Token": "T", "Expiration": "2030-01-01T00:00:00Z"}"#).utf8))
            case "http://169.254.170.2/v2/credentials/abc":
                XCTAssertEqual(headers.first?.1, "secret-auth")
                return HTTPResponse(status: 200, body: Data((#"{"AccessKeyId": "ASIAECS", "SecretAccessKey": "S", "#
                    + #""Token": "T", "Expiration": "2030-01-01T00:00:00Z"}"#).utf8))
            default:
                return HTTPResponse(status: 404)
            }
        }
        let ec2 = try resolve(fetchLocal: imds).credentials
        XCTAssertEqual(ec2?.accessKeyId, "ASIAEC2")
        XCTAssertEqual(ec2?.sessionToken, "T")
        XCTAssertNotNil(ec2?.expiration, "refreshed before it runs out")
        XCTAssertEqual(asked.count, 3)
        asked.removeAll()
        let ecs = try resolve(env: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "secret-auth"], fetchLocal: imds).credentials
        XCTAssertEqual(ecs?.accessKeyId, "ASIAECS")
        XCTAssertEqual(asked, ["GET http://169.254.170.2/v2/credentials/abc"],
                       "the container's come before the instance's")
        // Keys anywhere else come first: nothing local is asked.
        asked.removeAll()
        XCTAssertEqual(try resolve(env: ["AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S"],
                                   fetchLocal: imds).credentials?.accessKeyId, "K")
        XCTAssertEqual(asked, [])
        // Switched off, or an instance without a role: not found, with where pail looked.
        XCTAssertThrowsError(try resolve(env: ["AWS_EC2_METADATA_DISABLED": "true"], fetchLocal: imds)) {
            XCTAssertFalse("\($0)".contains("169.254.169.254"), "\($0)")
        }
        XCTAssertThrowsError(try resolve(fetchLocal: { _, url, _ in
            HTTPResponse(status: url.hasSuffix("token") ? 200 : 404)
        }))
        // A full URI must not send the container's token to just any host.
        XCTAssertThrowsError(try resolve(env: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"],
                                         fetchLocal: imds)) {
            XCTAssertTrue("\($0)".contains("must be https"), "\($0)")
        }
        // On EC2 but broken: say so, in one line.
        let broken: CredentialFetch = { _, url, _ in
            if url.hasSuffix("token") { return HTTPResponse(status: 200, body: Data("T".utf8)) }
            if url.hasSuffix("credentials/") { return HTTPResponse(status: 200, body: Data("role".utf8)) }
            return HTTPResponse(status: 200,
                                body: Data(#"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "no"}"#.utf8))
        }
        XCTAssertThrowsError(try resolve(fetchLocal: broken)) {
            XCTAssertTrue("\($0)".contains("answered AssumeRoleUnauthorizedAccess: no"), "\($0)")
        }
    }

    /// IAM Identity Center: the token `aws sso login` cached (named by the SHA-1 of the session
    /// name, or of the start URL in the older form) is exchanged at the portal.
    func testSSOProfilesExchangeTheCachedSignInTokenAtThePortal() throws {
        try write("config", """
        [profile dev]
        sso_session = my-sso
        sso_account_id = 111122223333
        sso_role_name = SiteAdmin
        region = eu-west-1
        [sso-session my-sso]
        sso_region = us-east-1
        sso_start_url = https://my-sso.awsapps.com/start
        [profile legacy]
        sso_start_url = https://legacy.awsapps.com/start
        sso_region = eu-central-1
        sso_account_id = 444455556666
        sso_role_name = ReadOnly
        [profile deploy]
        role_arn = arn:aws:iam::111122223333:role/deploy
        source_profile = dev
        [profile half]
        sso_session = my-sso
        sso_account_id = 1
        [profile gone]
        sso_session = nowhere
        """)
        let cache = home.appendingPathComponent(".aws/sso/cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        func token(_ file: String, _ value: String, expires: String) throws {
            try #"{"startUrl": "x", "region": "us-east-1", "accessToken": "\#(value)", "expiresAt": "\#(expires)"}"#
                .write(to: cache.appendingPathComponent(file + ".json"), atomically: true, encoding: .utf8)
        }
        try token("0ad374308c5a4e22f723adf10145eafad7c4031c", "session-token", expires: "2099-01-01T00:00:00Z")
        try token("79e435d7a515078e81c9dffc35f38d5687ebd3a7", "legacy-token", expires: "2099-01-01T00:00:00UTC")
        var asked: [(String, String?)] = []
        let portal: CredentialFetch = { method, url, headers in
            XCTAssertEqual(method, "GET")
            asked.append((url, headers.first { $0.0 == "x-amz-sso_bearer_token" }?.1))
            return HTTPResponse(status: 200, body: Data((#"{"roleCredentials": {"accessKeyId": "ASIASSO", "#
                + #""secretAccessKey": "S", "sessionToken": "T", "expiration": 4070908800000}}"#).utf8))
        }
        var o = GlobalOptions()
        o.profile = "dev"
        let dev = try XCTUnwrap(try resolve(o, fetchSSO: portal).credentials)
        XCTAssertEqual(dev.accessKeyId, "ASIASSO")
        XCTAssertEqual(dev.sessionToken, "T")
        XCTAssertEqual(dev.expiration, Date(timeIntervalSince1970: 4_070_908_800))
        XCTAssertEqual(asked.last?.0, "https://portal.sso.us-east-1.amazonaws.com/federation/credentials"
                       + "?account_id=111122223333&role_name=SiteAdmin")
        XCTAssertEqual(asked.last?.1, "session-token")
        o.profile = "legacy"
        _ = try resolve(o, fetchSSO: portal)
        XCTAssertEqual(asked.last?.0, "https://portal.sso.eu-central-1.amazonaws.com/federation/credentials"
                       + "?account_id=444455556666&role_name=ReadOnly")
        XCTAssertEqual(asked.last?.1, "legacy-token")
        _ = try resolve(o, env: ["AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9/"], fetchSSO: portal)
        XCTAssertTrue(asked.last!.0.hasPrefix("http://127.0.0.1:9/federation/credentials?"), asked.last!.0)
        // A role whose keys come from an SSO profile.
        o.profile = "deploy"
        var source: Credentials?
        _ = try resolve(o, assume: { _, s in
            source = s; return Credentials(accessKeyId: "ASIAROLE", secretAccessKey: "S")
        }, fetchSSO: portal)
        XCTAssertEqual(source?.accessKeyId, "ASIASSO")

        // What goes wrong says what to do.
        func failure(_ profile: String,
                     _ fetch: @escaping CredentialFetch = { _, _, _ in HTTPResponse(status: 200) }) -> String {
            var o = GlobalOptions()
            o.profile = profile
            do { _ = try resolve(o, fetchSSO: fetch); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(failure("dev", { _, _, _ in HTTPResponse(status: 401, body: Data("{}".utf8)) })
            .contains("refused the sign-in token of profile \"dev\" (HTTP 401): run `aws sso login --profile dev`"))
        XCTAssertTrue(failure("half").contains("has no sso_role_name"), failure("half"))
        XCTAssertTrue(failure("gone").contains("no [sso-session nowhere] section"), failure("gone"))
        try token("0ad374308c5a4e22f723adf10145eafad7c4031c", "old", expires: "2020-01-01T00:00:00Z")
        XCTAssertTrue(failure("dev").contains("expired at 2020-01-01T00:00:00Z: run `aws sso login --profile dev`"),
                      failure("dev"))
        try FileManager.default.removeItem(at: cache)
        XCTAssertTrue(failure("dev").contains("has no sign-in token"), failure("dev"))
    }

    func testMalformedFilesNameFileAndLine() throws {
        try write("config", "[default]\nregion = x\nthis line is wrong\n")
        XCTAssertThrowsError(try resolve(env: ["AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S"])) { error in
            XCTAssertTrue("\(error)".contains("config:3"), "\(error)")
        }
    }

    func testR2DefaultsToRegionAuto() throws {
        var o = GlobalOptions()
        o.endpointURL = "https://acct.r2.cloudflarestorage.com"
        o.noSignRequest = true
        XCTAssertEqual(try resolve(o).region, "auto")
    }
}
