import Foundation
import XCTest

@testable import Operations
@testable import S3

final class ProfileCatalogTests: XCTestCase {
    private var folder = ""
    private var env: [String: String] = [:]

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "pail-profiles-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
        [default]
        region = eu-west-1
        [profile spaces]
        region = nyc3
        endpoint_url = https://nyc3.digitaloceanspaces.com
        [profile minio]
        s3 =
            endpoint_url = http://127.0.0.1:9000
        [sso-session corp]
        sso_region = eu-west-1
        """.write(toFile: folder + "/config", atomically: false, encoding: .utf8)
        try """
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = SECRETDEFAULT
        [seaweed]
        aws_access_key_id = AKIASEAWEED
        aws_secret_access_key = SECRETSEAWEED
        [spaces]
        aws_access_key_id = AKIASPACES
        aws_secret_access_key = SECRETSPACES
        """.write(toFile: folder + "/credentials", atomically: false, encoding: .utf8)
        env = [
            "HOME": folder, "AWS_CONFIG_FILE": folder + "/config",
            "AWS_SHARED_CREDENTIALS_FILE": folder + "/credentials",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func pailConfig() throws -> PailConfig {
        var c = try PailConfig.parse(
            AWSConfigFile(
                path: folder + "/pail",
                text: """
                    [profile local]
                    endpoint_url = http://127.0.0.1:8333
                    region = us-east-1
                    aws_profile = seaweed
                    [profile spaces]
                    read_only = true
                    """))
        c.path = folder + "/pail"
        return c
    }

    func testEntriesFromEveryFileWithoutSecrets() throws {
        let catalog = try ProfileCatalog(environment: env, pailConfig: pailConfig())
        XCTAssertEqual(catalog.entries.map(\.name), ["default", "local", "minio", "seaweed", "spaces"])
        let spaces = try XCTUnwrap(catalog.entry(named: "spaces"))
        XCTAssertEqual(spaces.region, "nyc3")
        XCTAssertEqual(spaces.endpoint, "https://nyc3.digitaloceanspaces.com")
        XCTAssertEqual(spaces.sources, [folder + "/config", folder + "/credentials", folder + "/pail"])
        XCTAssertTrue(spaces.readOnly)
        XCTAssertEqual(catalog.entry(named: "minio")?.endpoint, "http://127.0.0.1:9000")
        XCTAssertEqual(catalog.entry(named: "local")?.endpoint, "http://127.0.0.1:8333")
        XCTAssertEqual(catalog.entry(named: "default")?.sources, [folder + "/config", folder + "/credentials"])
        let shown = "\(catalog.entries)"
        for secret in ["SECRET", "AKIA"] { XCTAssertFalse(shown.contains(secret), shown) }
    }

    func testSwitchingResolvesAsTheCommandLineWouldAndKeepsReadOnly() throws {
        var options = GlobalOptions()
        options.profile = "default"
        options.endpointURL = "http://10.0.0.1:1"  // the first profile's; not the next one's
        options.connectTo = ["a:80:127.0.0.1:8080"]
        let catalog = try ProfileCatalog(
            environment: env, pailConfig: pailConfig(), options: options, requestTimeout: 7)
        let local = try catalog.configuration(for: "local")
        XCTAssertEqual(local.profile, "local")
        XCTAssertEqual(local.endpoint.display, "http://127.0.0.1:8333")
        XCTAssertEqual(local.credentials?.accessKeyId, "AKIASEAWEED", "aws_profile names the keys")
        XCTAssertEqual(local.requestTimeout, 7)
        XCTAssertEqual(local.connectTo, ["a:80:127.0.0.1:8080"])
        XCTAssertNil(local.readOnly.everywhere)
        XCTAssertEqual(try catalog.refresh(for: "local")()?.accessKeyId, "AKIASEAWEED")
        let spaces = try catalog.configuration(for: "spaces")
        XCTAssertEqual(spaces.region, "nyc3")
        XCTAssertEqual(spaces.endpoint.host, "nyc3.digitaloceanspaces.com")
        XCTAssertEqual(spaces.readOnly.everywhere, "read_only in [profile spaces] of \(folder)/pail")
        options.readOnly = true
        let strict = try ProfileCatalog(environment: env, pailConfig: pailConfig(), options: options)
        XCTAssertEqual(
            try strict.configuration(for: "local").readOnly.everywhere, "--read-only", "never relaxed by a switch")
        XCTAssertThrowsError(try catalog.configuration(for: "nope")) {
            XCTAssertEqual("\($0)", "there is no profile \"nope\" (profiles: default, local, minio, seaweed, spaces)")
        }
        // The environment still ranks above a profile, as for `pail --profile local`.
        var withEnv = env
        withEnv["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9999"
        let overridden = try ProfileCatalog(environment: withEnv, pailConfig: pailConfig()).configuration(for: "local")
        XCTAssertEqual(overridden.endpoint.display, "http://127.0.0.1:9999")
    }
}
