import Foundation

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
