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
