import Foundation
import XCTest

@testable import Operations
@testable import S3

/// Issue 15: [keys], [colors], [bookmarks] and pail's own [profile] settings.
final class PailConfigSectionsTests: XCTestCase {
    private func parse(_ text: String) throws -> PailConfig {
        try PailConfig.parse(AWSConfigFile(path: "/c", text: text))
    }

    private func error(_ text: String) -> String {
        do {
            _ = try parse(text)
            return ""
        } catch { return "\(error)" }
    }

    func testKeysParseToTypedKeys() throws {
        let c = try parse(
            """
            [keys]
            delete = x
            down = j Down
            quit = ctrl-q ^W
            help = F2
            toggle_mark = space
            """)
        XCTAssertEqual(c.keys.entries.map(\.action), ["delete", "down", "quit", "help", "toggle_mark"])
        XCTAssertEqual(c.keys.entries[1].keys, [.char("j"), .named("down")])
        XCTAssertEqual(c.keys.entries[2].keys, [.ctrl("q"), .ctrl("w")])
        XCTAssertEqual(c.keys.entries[3].keys, [.function(2)])
        XCTAssertEqual(c.keys.entries[4].keys, [.char(" ")])
        XCTAssertEqual(c.keys.entries[1].line, 3)
        XCTAssertEqual(ConfigKey(parsing: "G"), .char("G"), "case is kept: G is not g")
        for bad in ["ctrl-", "ctrl-12", "F13", "F0", "shift", "ab"] { XCTAssertNil(ConfigKey(parsing: bad), bad) }
        let message = error("[keys]\nquit = q\ndelete = meta-x\n")
        XCTAssertTrue(message.hasPrefix("/c:3: [keys] delete: \"meta-x\" is not a key"), message)
        XCTAssertTrue(error("[keys]\ndelete =\n").hasPrefix("/c:2: [keys] delete has no key"))
    }

    func testKeysValidateActionsAndClashes() throws {
        let known = ["up", "down", "pageUp", "delete", "download", "quit"]
        let defaults: [String: [ConfigKey]] = [
            "up": [.char("k")], "down": [.char("j")], "pageUp": [.ctrl("b")],
            "delete": [.char("d")], "download": [.char("D")], "quit": [.char("q")],
        ]
        let ok = try parse("[keys]\npage_up = PgUp\ndelete = x\n").keys
        let map = try ok.validate(knownActions: known, defaults: defaults)
        XCTAssertEqual(map["pageUp"], [.named("pageUp")], "page_up names pageUp; the file's keys replace the defaults")
        XCTAssertEqual(map["delete"], [.char("x")])
        XCTAssertEqual(map["quit"], [.char("q")])
        func failure(_ text: String) -> String {
            do {
                _ = try parse(text).keys.validate(knownActions: known, defaults: defaults)
                return ""
            } catch { return "\(error)" }
        }
        let unknown = failure("[keys]\n\nfly = f\n")
        XCTAssertTrue(
            unknown.hasPrefix("/c:3: [keys] unknown action \"fly\"; actions are delete, down, download"), unknown)
        let both = failure("[keys]\ndelete = x\ndownload = x\n")
        XCTAssertEqual(both, "/c:3: [keys] \"x\" is bound to both delete and download")
        let withDefault = failure("[keys]\ndelete = q\n")
        XCTAssertEqual(
            withDefault, "/c:2: [keys] \"q\" is bound to both delete and quit; give quit another key in [keys] too")
        XCTAssertTrue(failure("[keys]\ndelete = x\nDelete = y\n").contains("set twice (also on line 2)"))
    }

    func testColorsParseAndFollowTheTerminal() throws {
        let c = try parse(
            """
            [colors]
            title = black on cyan bold
            prefix = 196
            error = bright_red
            footer_key = on 244
            """)
        XCTAssertEqual(c.colors.roles[.title], ColorSpec(foreground: .index(0), background: .index(6), bold: true))
        XCTAssertEqual(c.colors.roles[.prefix], ColorSpec(foreground: .index(196)))
        XCTAssertEqual(c.colors.roles[.error], ColorSpec(foreground: .index(9)))
        XCTAssertEqual(c.colors.roles[.footerKey], ColorSpec(foreground: .default, background: .index(244)))
        let on256 = try XCTUnwrap(c.colors.effective(colors: 256, environment: [:]))
        XCTAssertEqual(on256[.prefix]?.foreground, .index(196))
        let on16 = try XCTUnwrap(c.colors.effective(colors: 16, environment: [:]))
        XCTAssertEqual(on16[.prefix]?.foreground, .index(9), "xterm 196 (255,0,0) is bright red")
        XCTAssertEqual(on16[.footerKey]?.background, .index(8), "grey 244 (128,128,128) is bright black")
        let on8 = try XCTUnwrap(c.colors.effective(colors: 8, environment: [:]))
        XCTAssertEqual(on8[.error]?.foreground, .index(1), "no bright colours on 8")
        XCTAssertNil(c.colors.effective(colors: 256, environment: ["NO_COLOR": "1"]), "NO_COLOR: no colour at all")
        XCTAssertNotNil(
            c.colors.effective(colors: 256, environment: ["NO_COLOR": ""]), "an empty NO_COLOR does not count")
        XCTAssertNil(c.colors.effective(colors: 2, environment: [:]), "monochrome")
        let unknownColour = error("[colors]\n# comment\ntitle = pink\n")
        XCTAssertTrue(unknownColour.hasPrefix("/c:3: [colors] title: unknown colour \"pink\""), unknownColour)
        XCTAssertTrue(error("[colors]\nprefix = 256\n").contains("unknown colour \"256\""))
        XCTAssertTrue(error("[colors]\nsparkle = red\n").hasPrefix("/c:2: [colors] unknown role \"sparkle\""))
        XCTAssertTrue(error("[colors]\ntitle = red blue\n").hasPrefix("/c:2: [colors] title = \"red blue\""))
    }

    func testBookmarksKeepCaseAndAreChecked() throws {
        let c = try parse("[bookmarks]\nm = s3://site/media/\nM = s3://site/static/\nlogs = s3://logs\n")
        XCTAssertEqual(c.bookmarks.map(\.name), ["m", "M", "logs"])
        XCTAssertEqual(c.bookmark(named: "M")?.uri, "s3://site/static/")
        XCTAssertEqual(try Bookmark.resolve("m", in: c), S3URI(bucket: "site", key: "media/"))
        XCTAssertEqual(try Bookmark.resolve("s3://other/x", in: c), S3URI(bucket: "other", key: "x"))
        XCTAssertThrowsError(try Bookmark.resolve("nope", in: c)) {
            XCTAssertEqual("\($0)", "\"nope\" is neither an s3:// URI nor a bookmark (bookmarks: m, M, logs)")
        }
        XCTAssertThrowsError(try Bookmark.resolve("x", in: PailConfig())) {
            XCTAssertTrue("\($0)".contains("there are no bookmarks; save one with `pail bookmark NAME"), "\($0)")
        }
        XCTAssertTrue(error("[bookmarks]\nm = /tmp/x\n").hasPrefix("/c:2: bookmark m: "))
        XCTAssertTrue(error("[bookmarks]\nm/x = s3://b\n").contains("bookmark name \"m/x\" must be"))
    }

    func testProfilesTakeEndpointsButNeverKeys() throws {
        let c = try parse(
            """
            [profile local]
            endpoint_url = http://127.0.0.1:8333
            region = us-east-1
            addressing_style = path
            aws_profile = seaweed
            read_only = true
            """)
        let p = try XCTUnwrap(c.profiles["local"])
        XCTAssertEqual(p.endpointURL, "http://127.0.0.1:8333")
        XCTAssertEqual(p.awsProfile, "seaweed")
        XCTAssertEqual(p.addressing, .path)
        XCTAssertTrue(c.readOnlyProfiles.contains("local"))
        let secret = error("[profile x]\naws_secret_access_key = wJalrXUtnFEMI\n")
        XCTAssertTrue(secret.contains("belongs in ~/.aws/credentials"), secret)
        XCTAssertFalse(secret.contains("wJalrXUtnFEMI"), "never the secret in a message")
        XCTAssertTrue(error("[profile x]\nendpoint_url = ftp://x\n").hasPrefix("/c:2: [profile x] endpoint_url"))
    }

    /// The README annotates settings with `# ...` after the value; pail's file reads those as
    /// comments (a value of `true   # why` was refused before), AWS's files do not.
    func testInlineCommentsInPailsFile() throws {
        let folder = NSTemporaryDirectory() + "pail-inline-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        [bucket my-site]
        read_only = true                  # pail sends no write to this bucket
        cdn_domain = cdn.example.com      ; django-storages' AWS_S3_CUSTOM_DOMAIN
        purge_command = /bin/purge#zone   # a # inside a word stays
        [bookmarks]                       # m then a letter in the browser
        m = s3://my-site/media/           # the media
        """.write(toFile: folder + "/config", atomically: false, encoding: .utf8)
        let (config, warning) = PailConfig.load(environment: ["PAIL_CONFIG": folder + "/config"])
        XCTAssertNil(warning)
        XCTAssertTrue(config.settings(for: "my-site").readOnly)
        XCTAssertEqual(config.settings(for: "my-site").cdnDomain, "cdn.example.com")
        XCTAssertEqual(config.settings(for: "my-site").purgeCommand, "/bin/purge#zone")
        XCTAssertEqual(config.bookmark(named: "m")?.uri, "s3://my-site/media/")
        XCTAssertEqual(try AWSConfigFile(path: "/a", text: "[x]\nk = a # b\n").sections["x"]?["k"], "a # b")
        XCTAssertThrowsError(try Bookmark(name: "x", uri: "s3://b/a #b"), "would be cut when read back")
    }
}
