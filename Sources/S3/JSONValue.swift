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

public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

struct JSONParser {
    let bytes: [UInt8]
    var i = 0
    var line = 1
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(line: line, message: message) }

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        // A configuration is a few levels deep; a bound keeps a hostile file from the stack's end.
        guard depth < 64 else { throw fail("nested more than 64 levels deep") }
        guard i < bytes.count else { throw fail("the document ends where a value was expected") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var fields: [(key: String, value: JSONValue, line: Int)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object([]) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                    throw fail("expected a field name in double quotes")
                }
                let keyLine = line
                let key = try string()
                if fields.contains(where: { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }) {
                    throw fail("the field \(JSONValue.quote(key)) appears twice")
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                    throw fail("expected ':' after \(JSONValue.quote(key))")
                }
                i += 1
                skipSpace()
                fields.append((key, try value(depth: depth + 1), keyLine))
                skipSpace()
                guard i < bytes.count else { throw fail("the document ends inside an object (a missing '}')") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                throw fail("expected ',' or '}' after a field (a missing comma?)")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [(value: JSONValue, line: Int)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
            while true {
                skipSpace()
                let itemLine = line
                items.append((try value(depth: depth + 1), itemLine))
                skipSpace()
                guard i < bytes.count else { throw fail("the document ends inside a list (a missing ']')") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']' in a list (a missing comma?)")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            i += 1
            while i < bytes.count, "0123456789.eE+-".utf8.contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard Double(text) != nil else { throw fail("\(text) is not a number") }
            return .number(text)
        default:
            let c = String(decoding: [bytes[i]], as: UTF8.self)
            throw fail("unexpected character '\(c)' where a value was expected")
        }
    }

    mutating func word(_ w: String) throws {
        guard bytes[i...].starts(with: w.utf8) else {
            throw fail("expected a value (true, false, null, a number, a string)")
        }
        i += w.utf8.count
    }

    mutating func string() throws -> String {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                return s
            }
            if b == 0x0A { throw fail("a string runs past the end of its line (a missing '\"')") }
            if b < 0x20 { throw fail("a string holds a control character; write it as \\u00XX") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), bytes[(i + 1)...].starts(with: "\\u".utf8) {
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a broken \\u surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("a \\u escape that is not a character") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw fail("an unknown escape \\\(String(decoding: [bytes[i]], as: UTF8.self)) in a string")
                }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        throw fail("the document ends inside a string (a missing '\"')")
    }

    /// Reads the four hex digits after `\u`, leaving `i` on the last one.
    mutating func hex4() throws -> UInt32 {
        guard i + 4 < bytes.count,
              let v = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16) else {
            throw fail("\\u needs four hex digits")
        }
        i += 4
        return v
    }
}
