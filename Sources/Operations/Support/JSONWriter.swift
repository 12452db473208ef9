import Foundation
import S3

/// A JSON object written field by field, in a fixed order, with keys kept exact.
public struct JSONWriter {
    private var out = "{"
    public init() {}
    private var first = true

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { JSONWriter.appendString(value, to: &out) } else { out += "null" }
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        out += String(value)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        out += value ? "true" : "false"
    }

    public mutating func field(_ name: String, object pairs: [(String, String)]) {
        key(name)
        out += "{"
        for (i, (k, v)) in pairs.enumerated() {
            if i > 0 { out += "," }
            JSONWriter.appendString(k, to: &out)
            out += ":"
            JSONWriter.appendString(v, to: &out)
        }
        out += "}"
    }

    private mutating func key(_ name: String) {
        if !first { out += "," }
        first = false
        JSONWriter.appendString(name, to: &out)
        out += ":"
    }

    public var line: String { out + "}\n" }

    /// The escaper of `JSONValue`, so a key reads the same in every JSON pail prints.
    public static func appendString(_ s: String, to out: inout String) {
        JSONValue.appendQuoted(s, to: &out)
    }
}
