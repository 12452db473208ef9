import Foundation
import Operations
import S3

enum Format {
    /// The fields every object has in JSON output (`ls`, and `stat` before its own).
    static func objectFields(_ j: inout JSONWriter, key: String, size: Int64, lastModified: Date?, etag: String,
                             storageClass: String?) {
        j.field("key", key)
        j.field("size", size)
        j.field("last_modified", lastModified.map(Timestamps.formatISO8601))
        j.field("etag", etag)
        j.field("storage_class", storageClass ?? "STANDARD")
    }

    static func jsonObject(_ o: ObjectSummary) -> String {
        var j = JSONWriter()
        objectFields(&j, key: o.key, size: o.size, lastModified: o.lastModified, etag: o.etag,
                     storageClass: o.storageClass)
        return j.line
    }

    static func jsonPrefix(_ p: String) -> String {
        var j = JSONWriter()
        j.field("prefix", p)
        return j.line
    }

    /// `2026-11-24 18:08:48       1234 name`, as `aws s3 ls` prints.
    static func textObject(_ o: ObjectSummary, name: String) -> String {
        let date = o.lastModified.map(Timestamps.formatLocal) ?? "                   "
        let size = String(o.size)
        let pad = size.count < 10 ? String(repeating: " ", count: 10 - size.count) : ""
        return "\(date) \(pad)\(size) \(TerminalSafe.escape(name))\n"
    }

    static func textPrefix(_ name: String) -> String {
        "                           PRE \(TerminalSafe.escape(name))\n"
    }
}
