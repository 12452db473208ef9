import Browser
import Foundation
import S3
import TestSupport
import XCTest

final class ObjectAccessSessionTests: XCTestCase {
    func pane(_ d: BrowserDriver) -> [String] {
        d.text.split(separator: "\n").dropFirst().compactMap { line -> String? in
            guard let bar = line.firstIndex(of: "│") else { return nil }
            let words = line[line.index(after: bar)...].split(separator: " ")
            return words.isEmpty ? nil : words.joined(separator: " ")
        }
    }

    func driver(_ t: ScriptedTransport) -> BrowserDriver {
        t.on("GET", path: "/site", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "site", prefix: "", objects: [.init("logo.png")])
        }
        t.on("HEAD", path: "/site/logo.png") { _ in S3Answers.head(size: 5, contentType: "image/png") }
        let world = ScriptedWorld()
        world.readsObjectAccess = true
        return BrowserDriver(bucket: "site", width: 160, height: 40, transport: t, world: world)
    }

    /// The details read the object's tags and ACL with its HEAD and show them, with how to edit.
    func testTheDetailsShowTheObjectsTagsAndACLGrants() {
        let t = ScriptedTransport()
        t.on("GET", path: "/site/logo.png", having: ["tagging"]) { _ in
            S3Answers.xml("<Tagging><TagSet><Tag><Key>env</Key><Value>prod</Value></Tag>"
                          + "<Tag><Key>team</Key><Value>web</Value></Tag></TagSet></Tagging>")
        }
        t.on("GET", path: "/site/logo.png", having: ["acl"]) { _ in
            S3Answers.xml("""
                <AccessControlPolicy><Owner><ID>owner1</ID></Owner><AccessControlList>\
                <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">\
                <ID>owner1</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>\
                <Grant><Grantee xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>\
                <Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>
                """)
        }
        let d = driver(t)
        d.runUntilIdle()
        let lines = pane(d)
        for expected in ["Tags env=prod", "team=web", "ACL public-read", "FULL_CONTROL owner",
                         "READ everyone (AllUsers)"] {
            XCTAssertTrue(lines.contains(expected), "\(expected): \(lines)")
        }
        XCTAssertTrue(lines.joined(separator: " ").contains("edit: pail tags --set k=v, pail acl --set-canned"),
                      "\(lines)")
        XCTAssertEqual(t.requests.filter { $0.method == "GET" && $0.queryValue("tagging") != nil }.count, 1)
    }

    /// A server without object tags or ACLs: a line each, not an error, and the rest is shown.
    func testAServerWithoutTagsOrACLsSaysSoInALine() {
        let t = ScriptedTransport()
        t.on("GET", path: "/site/logo.png", having: ["tagging"]) { _ in S3Answers.error(501, "NotImplemented") }
        t.on("GET", path: "/site/logo.png", having: ["acl"]) { _ in S3Answers.error(403, "AccessDenied") }
        let d = driver(t)
        d.runUntilIdle()
        let lines = pane(d)
        XCTAssertTrue(lines.contains("Tags not supported by this server"), "\(lines)")
        XCTAssertTrue(lines.contains("ACL not readable (AccessDenied)"), "\(lines)")
        XCTAssertTrue(lines.contains("Content-Type image/png"), "\(lines)")
        XCTAssertNil(d.state.status, "no error on the status line")
    }
}
