import Foundation
import XCTest
@testable import S3

final class ConfigurationTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("pail-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: home.appendingPathComponent(".aws/\(name)"), atomically: true, encoding: .utf8)
    }

    func resolve(_ options: GlobalOptions = GlobalOptions(), env: [String: String] = [:],
                 run: @escaping (String) throws -> String = { _ in "" }) throws -> ClientConfiguration {
        try ClientConfiguration.resolve(options, environment: env.merging(["HOME": home.path]) { a, _ in a }, runProcess: run)
    }

    func testEnvironmentKeysComeFirstButProfileFlagSkipsThem() throws {
        try write("credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVSECRET\n")
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
        let e = try resolve(env: ["AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S", "AWS_ENDPOINT_URL": "http://generic",
                                  "AWS_ENDPOINT_URL_S3": "http://s3specific:1", "AWS_DEFAULT_REGION": "sa-east-1", "AWS_CA_BUNDLE": "/ca.pem"])
        XCTAssertEqual(e.endpoint.display, "http://s3specific:1")
        XCTAssertEqual(e.region, "sa-east-1")
        XCTAssertEqual(e.caBundle, "/ca.pem")
    }

    func testSourceProfileAndCredentialProcess() throws {
        try write("credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n")
        try write("config", "[profile child]\nsource_profile = base\n[profile proc]\ncredential_process = /bin/get-creds --x\n[profile role]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\n")
        var o = GlobalOptions()
        o.profile = "child"
        XCTAssertEqual(try resolve(o).credentials?.accessKeyId, "BASEKEY")
        o.profile = "proc"
        var ran: String?
        let c = try resolve(o) { cmd in
            ran = cmd
            return #"{"Version": 1, "AccessKeyId": "PK", "SecretAccessKey": "PS", "SessionToken": "PT", "Expiration": "2030-01-01T00:00:00Z"}"#
        }
        XCTAssertEqual(ran, "/bin/get-creds --x")
        XCTAssertEqual(c.credentials?.sessionToken, "PT")
        XCTAssertTrue(c.credentials!.isTemporary)
        XCTAssertThrowsError(try resolve(o) { _ in "not json" })
        o.profile = "role"
        XCTAssertThrowsError(try resolve(o)) { XCTAssertTrue("\($0)".contains("role_arn")) }
    }

    func testMissingCredentialsListWhereWeLooked() throws {
        XCTAssertThrowsError(try resolve()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("AWS_ACCESS_KEY_ID"), text)
            XCTAssertTrue(text.contains(".aws/credentials"), text)
            XCTAssertTrue(text.contains(".aws/config"), text)
        }
        var o = GlobalOptions()
        o.noSignRequest = true
        XCTAssertNil(try resolve(o).credentials)
        o.profile = "ghost"
        XCTAssertThrowsError(try resolve(o)) { XCTAssertTrue("\($0)".contains("ghost")) }
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
