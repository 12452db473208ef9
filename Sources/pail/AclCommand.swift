import ArgumentParser
import Foundation
import Operations
import S3

struct AclCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acl",
        abstract: "Show an object's ACL, or set a canned one (private, public-read).")

    @OptionGroup var global: GlobalOptionGroup
    @Option(name: .customLong("set-canned"), help: ArgumentHelp("Replace the ACL with a canned one.",
                                                                  valueName: "private|public-read"))
    var setCanned: String?
    @Flag(name: .long, help: "Do not ask before changing the ACL.")
    var yes = false
    @Flag(help: "JSON: key, owner, canned, grants (grantee, permission).")
    var json = false
    @Argument(help: "s3://bucket/key")
    var target: String

    func validate() throws {
        if let setCanned, !["private", "public-read"].contains(setCanned) {
            throw ValidationError("--set-canned takes private or public-read")
        }
    }

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(object: target, command: "acl")
            let client = try global.makeClient()
            var acl = try client.getObjectAcl(bucket: uri.bucket, key: uri.key)
            let name = TerminalSafe.escape(uri.description)
            if let setCanned, acl.canned != setCanned {
                let question = setCanned == "public-read"
                    ? "Make \(name) readable by anyone on the internet (public-read)?"
                    : "Make \(name) private (only the owner)?"
                if !yes {
                    guard Confirmation.canAsk else {
                        throw S3Error.local("nothing changed: no terminal to confirm on; pass --yes")
                    }
                    guard Confirmation.ask(["now: \(acl.canned ?? "\(acl.grants.count) custom grants")"],
                                           question: question, word: nil) else {
                        StandardError.write("nothing changed\n")
                        throw ExitCode(1)
                    }
                }
                try client.putObjectCannedAcl(bucket: uri.bucket, key: uri.key, acl: setCanned)
                acl = try client.getObjectAcl(bucket: uri.bucket, key: uri.key)
                StandardError.write("\(name): ACL set to \(setCanned)\n")
            }
            let out = StandardOutput.shared
            if json {
                let grants = acl.grants.map { g in
                    (value: JSONValue.object([("grantee", .string(g.grantee), 0),
                                              ("permission", .string(g.permission), 0)]), line: 0)
                }
                let doc = JSONValue.object([("key", .string(uri.key), 0),
                                            ("owner", acl.ownerId.map { .string($0) } ?? .null, 0),
                                            ("canned", acl.canned.map { .string($0) } ?? .null, 0),
                                            ("grants", .array(grants), 0)])
                out.write(doc.compact + "\n")
            } else {
                out.write("owner: \(TerminalSafe.escape(acl.ownerId ?? "-"))\n")
                out.write("canned: \(acl.canned ?? "none (custom grants)")\n")
                for g in acl.grants { out.write("\(g.permission)  \(TerminalSafe.escape(g.grantee))\n") }
            }
        }
    }
}
