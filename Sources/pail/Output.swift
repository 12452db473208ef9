import Foundation
import Operations
import S3

/// Buffered standard output: a 20,000-key listing is one write per 64 KiB, not per line.
final class StandardOutput {
    static let shared = StandardOutput()
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                let n = Foundation.write(1, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { break }  // closed pipe (e.g. `| head`): drop the rest
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

enum StandardError {
    static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
    static var isTerminal: Bool { isatty(2) == 1 }
}

/// A JSON object written field by field, in a fixed order, with keys kept exact.
struct JSONLine {
    private var out = "{"
    private var first = true

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { JSONLine.appendString(value, to: &out) } else { out += "null" }
    }

    mutating func field(_ name: String, _ value: Int64) {
        key(name)
        out += String(value)
    }

    mutating func field(_ name: String, object pairs: [(String, String)]) {
        key(name)
        out += "{"
        for (i, (k, v)) in pairs.enumerated() {
            if i > 0 { out += "," }
            JSONLine.appendString(k, to: &out)
            out += ":"
            JSONLine.appendString(v, to: &out)
        }
        out += "}"
    }

    private mutating func key(_ name: String) {
        if !first { out += "," }
        first = false
        JSONLine.appendString(name, to: &out)
        out += ":"
    }

    var line: String { out + "}\n" }

    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

enum Format {
    static func jsonObject(_ o: ObjectSummary) -> String {
        var j = JSONLine()
        j.field("key", o.key)
        j.field("size", o.size)
        j.field("last_modified", o.lastModified.map(Timestamps.formatISO8601))
        j.field("etag", o.etag)
        j.field("storage_class", o.storageClass ?? "STANDARD")
        return j.line
    }

    static func jsonPrefix(_ p: String) -> String {
        var j = JSONLine()
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
