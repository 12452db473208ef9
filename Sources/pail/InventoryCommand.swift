import ArgumentParser
import Foundation
import Operations
import S3

/// `--inventory URI` / `--inventory-date`: read an S3 Inventory report instead of listing, on
/// the listing-driven commands (`ls -r`, `du`, `find`, `dupes`).
struct InventoryOptions: ParsableArguments {
    @Option(name: .customLong("inventory"),
            help: ArgumentHelp("Read the S3 Inventory report under s3://DEST/[PREFIX/]SOURCE-BUCKET/CONFIG-ID/ "
                               + "instead of listing (CSV reports)."))
    var uri: String?

    @Option(name: .customLong("inventory-date"),
            help: "With --inventory: the report of YYYY-MM-DD (default: the latest).")
    var date: String?

    func validate() throws {
        if date != nil && uri == nil { throw ValidationError("--inventory-date needs --inventory") }
    }

    /// The listing, or the chosen report (its date told on standard error, since the rows
    /// are as old as the report).
    func source(client: S3Client) throws -> ObjectSource {
        guard let uri else { return .listing(client) }
        let report = try InventoryReport.open(client: client, uri: uri, date: date)
        let files = report.manifest.files.count
        StandardError.write("pail: reading the inventory report of \(report.dateText) "
                            + "(\(files) data file\(files == 1 ? "" : "s"), "
                            + "\(ByteCount.format(report.manifest.totalSize))) instead of listing\n")
        return .inventory(report)
    }
}

/// `pail inventory show`: the reports an inventory configuration has, and the fields of one.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "S3 Inventory reports: which there are, and what they hold.",
        subcommands: [InventoryShowCommand.self],
        defaultSubcommand: InventoryShowCommand.self)
}

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
