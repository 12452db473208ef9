import Foundation

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

    public static func appendString(_ s: String, to out: inout String) {
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

