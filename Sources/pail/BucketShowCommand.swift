import ArgumentParser
import Foundation
import Operations
import S3

struct BucketShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print what governs every object in a bucket, section by section.")

    @OptionGroup var global: GlobalOptionGroup
    @Flag(help: ArgumentHelp(
        "JSON Lines, one per section: section, status (set, not_set, unsupported, error), configuration "
            + "(the AWS CLI's shape), code, message."))
    var json = false
    @Argument(help: "s3://bucket")
    var target: String

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            guard uri.key.isEmpty else {
                throw S3Error.configuration("bucket show takes a bucket (s3://bucket), not a key")
            }
            let sections = try BucketConfigurations(client: try global.makeClient()).readAll(bucket: uri.bucket)
            let out = StandardOutput.shared
            if !json { out.write("s3://\(TerminalSafe.escape(uri.bucket))\n") }
            var failed = false
            for s in sections {
                if case .failed = s.state { failed = true }
                if json {
                    out.write(Self.jsonLine(s) + "\n")
                    continue
                }
                let lines = s.lines
                if case .set = s.state, [.policy, .cors, .lifecycle, .website, .tags].contains(s.section) {
                    out.write("\(s.section.title):\n")
                    for l in lines { out.write("  \(l)\n") }
                } else {
                    out.write("\(s.section.title): \(lines.joined(separator: " "))\n")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    static func jsonLine(_ s: BucketSectionState) -> String {
        var fields: [(key: String, value: JSONValue, line: Int)] = [("section", .string(s.section.rawValue), 0)]
        switch s.state {
        case .set(let doc):
            fields += [("status", .string("set"), 0), ("configuration", doc, 0)]
        case .notSet(let code):
            fields += [("status", .string("not_set"), 0), ("code", .string(code), 0)]
        case .unsupported(let why):
            fields += [("status", .string("unsupported"), 0), ("message", .string(why), 0)]
        case .failed(let message):
            fields += [("status", .string("error"), 0), ("message", .string(message), 0)]
        }
        return JSONValue.object(fields).compact
    }
}
