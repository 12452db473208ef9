import Browser
import Foundation
import Operations
import S3
import Session
import TestSupport
import XCTest

/// `P` through the real session: the switch builds a client for the chosen profile, and the
/// next request goes to its endpoint, signed with its keys; a profile that cannot connect
/// leaves the old client in place.
final class ProfileSessionTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pail-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
        [profile beta]
        region = eu-central-1
        endpoint_url = https://beta.test.example
        aws_access_key_id = AKIDBETA
        aws_secret_access_key = beta-secret

        [profile broken]
        region = us-east-1
        endpoint_url = https://broken.test.example
        credential_process = /bin/false

        """.write(to: folder.appendingPathComponent("config"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A driver on s3.test.example (key AKIDTEST) that can switch to the profiles of the file.
    private func driver() throws -> BrowserDriver {
        let t = ScriptedTransport()
        t.on({ $0.method == "GET" && $0.path == "/" }) { r in
            .success(S3Answers.listBuckets(r.host.hasPrefix("beta") ? ["beta-bucket"] : ["site"]))
        }
        let d = BrowserDriver(width: 100, height: 24, transport: t)
        let env = ["HOME": folder.path, "AWS_CONFIG_FILE": folder.appendingPathComponent("config").path,
                   "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("credentials").path]
        let catalog = try ProfileCatalog(environment: env, pailConfig: PailConfig())
        d.session.profiles = ProfileSwitcher(
            catalog: catalog, bookmarks: BookmarkStore(path: folder.appendingPathComponent("pail").path),
            makeClient: { S3Client(config: $0, makeTransport: { t }, now: { BrowserDriver.now }, sleep: { _ in }) })
        d.runUntilIdle()
        return d
    }

    private func select(_ name: String, in d: BrowserDriver) {
        d.press(.char("P"))
        guard let page = d.state.page(ProfilesPage.self), let list = page.list else {
            return XCTFail("no profile list:\n\(d.text)")
        }
        guard let i = list.entries.firstIndex(where: { $0.name == name }) else { return XCTFail("no \(name)") }
        for _ in 0..<i { d.press(.down) }
        d.press(.enter)
    }

    func testASwitchSendsTheNextListingToTheNewEndpointWithTheNewKeys() throws {
        let d = try driver()
        XCTAssertTrue(d.text.contains("site"), d.text)
        d.transport.forgetRequests()
        select("beta", in: d)
        let lists = d.transport.requests("GET").filter { $0.path == "/" }
        XCTAssertEqual(lists.map(\.host), ["beta.test.example"], "\(d.transport.requests.map(\.url))")
        let auth = lists.first?.header("Authorization") ?? ""
        XCTAssertTrue(auth.contains("Credential=AKIDBETA/"), auth)
        XCTAssertTrue(auth.contains("/eu-central-1/s3/"), auth)
        // The tree starts again at the bucket list of the new profile; the title names it.
        let title = d.text.split(separator: "\n").first ?? ""
        XCTAssertTrue(title.contains("[beta]") && title.contains("buckets"), String(title))
        XCTAssertTrue(d.text.contains("beta-bucket"), d.text)
        XCTAssertFalse(d.text.contains(" site"), d.text)
        XCTAssertNil(d.state.page(ProfilesPage.self), "the profile list closes after a switch")
        // And so does what follows: opening the bucket lists it on beta, with beta's keys.
        d.transport.forgetRequests()
        d.press(.enter)
        let next = d.transport.requests("GET", having: ["list-type"])
        XCTAssertEqual(next.map(\.host), ["beta.test.example"])
        XCTAssertTrue(next.first?.header("Authorization")?.contains("Credential=AKIDBETA/") == true)
    }

    func testAFailedSwitchSaysWhyInOneLineAndKeepsTheOldProfile() throws {
        let d = try driver()
        d.transport.forgetRequests()
        select("broken", in: d)
        let status = d.state.status?.text ?? ""
        XCTAssertTrue(status.hasPrefix("cannot switch to profile broken: "), status)
        XCTAssertTrue(status.hasSuffix("; nothing changed"), status)
        XCTAssertFalse(status.contains("\n"))
        XCTAssertTrue(d.transport.requests.isEmpty, "a failed switch sends nothing")
        // The old client still serves: the bucket list and its keys.
        d.press(.escape, .enter)
        let next = d.transport.requests("GET", having: ["list-type"])
        XCTAssertEqual(next.map(\.host), ["s3.test.example"])
        XCTAssertTrue(next.first?.header("Authorization")?.contains("Credential=AKIDTEST/") == true)
        XCTAssertFalse(d.text.split(separator: "\n").first?.contains("[broken]") == true)
    }

    func testPReadsTheFilesAgainAndListsAProfileAddedSinceTheStart() throws {
        let d = try driver()
        let file = folder.appendingPathComponent("config")
        try (String(contentsOf: file, encoding: .utf8) + "[profile gamma]\nregion = ap-south-1\n")
            .write(to: file, atomically: true, encoding: .utf8)
        d.press(.char("P"))
        let names = d.state.page(ProfilesPage.self)?.list?.entries.map(\.name)
        XCTAssertEqual(names, ["beta", "broken", "gamma"])
        XCTAssertTrue(d.text.contains("gamma") && d.text.contains("ap-south-1"), d.text)
    }
}
