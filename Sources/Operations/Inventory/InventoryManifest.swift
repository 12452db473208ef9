import Foundation
import S3

/// An S3 Inventory report's `manifest.json`: which bucket it lists, in which format, with
/// which fields, and the data files with their sizes and MD5s.
public struct InventoryManifest: Sendable {
    public struct DataFile: Sendable {
        public var key: String
        public var size: Int64
        /// Lowercase hex.
        public var md5: String
    }

    public var sourceBucket: String
    public var fileFormat: String
    /// Field names in column order, as the CSV schema names them ("Bucket", "Key", "Size", ...).
    public var fields: [String]
    public var files: [DataFile]
    public var creation: Date?

    /// The formats pail reads; ORC and Parquet need a columnar reader pail does not carry.
    public static let supportedFormat = "CSV"

    public static func parse(_ data: Data, what: String) throws -> InventoryManifest {
        func bad(_ why: String) -> S3Error { S3Error.serverFault("\(what) is not an S3 Inventory manifest: \(why)") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let top = object as? [String: Any] else {
            throw bad("not a JSON object")
        }
        guard let source = top["sourceBucket"] as? String, !source.isEmpty else { throw bad("no sourceBucket") }
        guard let format = top["fileFormat"] as? String else { throw bad("no fileFormat") }
        guard let schema = top["fileSchema"] as? String else { throw bad("no fileSchema") }
        guard let list = top["files"] as? [Any] else { throw bad("no files") }
        var files: [DataFile] = []
        for entry in list {
            guard let f = entry as? [String: Any], let key = f["key"] as? String, !key.isEmpty else {
                throw bad("a file without a key")
            }
            guard let size = (f["size"] as? NSNumber)?.int64Value, size >= 0 else { throw bad("a file without a size") }
            guard let md5 = f["MD5checksum"] as? String, md5.utf8.count == 32,
                  md5.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else {
                throw bad("a file without an MD5checksum")
            }
            files.append(DataFile(key: key, size: size, md5: md5.lowercased()))
        }
        // "creationTimestamp": milliseconds since 1970, as a string.
        let creation = (top["creationTimestamp"] as? String).flatMap(Double.init)
            .map { Date(timeIntervalSince1970: $0 / 1000) }
        let fields = format.uppercased() == supportedFormat
            ? schema.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
        return InventoryManifest(sourceBucket: source, fileFormat: format, fields: fields, files: files,
                                 creation: creation)
    }

    /// Total compressed size of the data files.
    public var totalSize: Int64 { files.reduce(0) { $0 + $1.size } }
}
