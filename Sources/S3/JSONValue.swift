import Foundation

/// A JSON value that keeps the order of an object's fields and the line each value started
/// on: a configuration a person edits is shown back in the order it was written, and a
/// mistake in it is reported by line. Numbers stay as written, so `3000` is never `3000.0`.
public indirect enum JSONValue: Equatable, Sendable {
    case object([(key: String, value: JSONValue, line: Int)])
    case array([(value: JSONValue, line: Int)])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy {
                $0.key.unicodeScalars.elementsEqual($1.key.unicodeScalars) && $0.value == $1.value
            }
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.value == $1.value }
        case let (.string(x), .string(y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    public subscript(_ key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }?.value
    }

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }

    /// Indented by four spaces, as the AWS CLI prints; control characters escaped, so the
    /// text is safe on a terminal whatever a server put in it.
    public func pretty(indent: String = "") -> String {
        let inner = indent + "    "
        switch self {
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            let body = fields.map { inner + JSONValue.quote($0.key) + ": " + $0.value.pretty(indent: inner) }
            return "{\n" + body.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            let body = items.map { inner + $0.value.pretty(indent: inner) }
            return "[\n" + body.joined(separator: ",\n") + "\n" + indent + "]"
        default: return compact
        }
    }

    /// On one line, for JSON Lines.
    public var compact: String {
        switch self {
        case .object(let fields):
            return "{" + fields.map { JSONValue.quote($0.key) + ":" + $0.value.compact }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map { $0.value.compact }.joined(separator: ",") + "]"
        case .string(let s): return JSONValue.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    public static func quote(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string: the one escaper of pail's JSON (documents and JSON Lines).
    /// Besides what JSON requires it escapes the invisible and direction-changing characters a
    /// terminal would act on, so a key printed as JSON cannot move the cursor or reorder text.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        // Most keys are plain ASCII: appended whole, without a look at each scalar.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let v = u.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
                    || (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v)
                    || (0x2066...0x2069).contains(v) || v == 0xFEFF {
                    // `\u` and four lowercase hex digits (every scalar here is below 0x10000).
                    let hex = String(v, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// Parses a whole document; a mistake is an error naming its line.
    public static func parse(_ text: String) throws -> JSONValue {
        var p = JSONParser(Array(text.utf8))
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        if p.i < p.bytes.count { throw p.fail("unexpected text after the JSON document") }
        return value
    }
}
