import ArgumentParser
import Foundation
import Operations
import S3

struct InventoryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "The reports under an inventory configuration's folder, and the fields of the latest (or --date's).")

    @OptionGroup var global: GlobalOptionGroup

    @Option(help: "The report of YYYY-MM-DD (default: the latest).")
    var date: String?

    @Argument(help: "s3://DEST-BUCKET/[PREFIX/]SOURCE-BUCKET/CONFIG-ID/")
    var target: String

    func run() throws {
        try runReportingErrors {
            let client = try global.makeClient()
            let place = try InventoryReport.locate(target)
            let all = try InventoryReport.reports(client: client, bucket: place.bucket, root: place.root)
            let out = StandardOutput.shared
            let report = try InventoryReport.open(client: client, uri: target, date: date)
            out.write("reports under s3://\(TerminalSafe.escape(place.bucket))/\(TerminalSafe.escape(place.root)):\n")
            for name in all {
                out.write("  \(name == report.timestamp ? "*" : " ") \(InventoryReport.dateText(name))  \(name)/\n")
            }
            let m = report.manifest
            out.write("report \(report.timestamp): bucket \(TerminalSafe.escape(m.sourceBucket)), "
                      + "format \(TerminalSafe.escape(m.fileFormat)), "
                      + "\(m.files.count) data file\(m.files.count == 1 ? "" : "s"), \(ByteCount.format(m.totalSize))"
                      + (m.creation.map { ", made \(Timestamps.formatISO8601($0))" } ?? "") + "\n")
            out.write("fields: \(TerminalSafe.escape(m.fields.joined(separator: ", ")))\n")
        }
    }
}
