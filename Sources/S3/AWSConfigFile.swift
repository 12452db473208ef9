import Foundation

/// An INI file in the AWS CLI's format: `[section]`, `key = value`, and nested blocks such
/// as `s3 =` followed by indented `addressing_style = path` (stored as `s3.addressing_style`).
public struct AWSConfigFile: Sendable {
    public var path: String
    public var sections: [String: [String: String]] = [:]
    /// Where each setting was written: `lines[section]![name]`, for messages.
    public var lines: [String: [String: Int]] = [:]
    /// Every setting of each section in file order, its name as written (not lower-cased),
    /// for sections whose names are case-sensitive or may repeat (pail's bookmarks, keys).
    public var entries: [String: [Entry]] = [:]

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var value: String
        public var line: Int
    }

    /// `inlineComments`: a `#` or `;` after a space or tab ends the value (pail's own file,
    /// whose documented examples annotate settings so; AWS's files keep such text, as aws-cli).
    public init(path: String, text: String, inlineComments: Bool = false) throws {
        self.path = path
        var current: String?
        var nestedParent: String?
        // "\r\n" is one Character, never equal to "\n": split on both, or a CRLF file is one line.
        let rows = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in rows.enumerated() {
            let lineNumber = index + 1
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            if inlineComments, trimmed.hasPrefix("["), let cut = Self.inlineCommentStart(Substring(trimmed)) {
                trimmed = trimmed[..<cut].trimmingCharacters(in: .whitespaces)
            }
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw S3Error.configuration("\(path):\(lineNumber): section header is missing \"]\"")
                }
                current = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                nestedParent = nil
                if sections[current!] == nil { sections[current!] = [:] }
                continue
            }
            guard let section = current else {
                throw S3Error.configuration("\(path):\(lineNumber): a setting before any [section]")
            }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw S3Error.configuration("\(path):\(lineNumber): expected \"name = value\"")
            }
            let written = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let name = written.lowercased()
            var raw = Substring(trimmed[trimmed.index(after: eq)...])
            if inlineComments, let cut = Self.inlineCommentStart(raw) { raw = raw[..<cut] }
            let value = raw.trimmingCharacters(in: .whitespaces)
            if indented, let parent = nestedParent {
                sections[section]!["\(parent).\(name)"] = value
                lines[section, default: [:]]["\(parent).\(name)"] = lineNumber
                entries[section, default: []].append(
                    Entry(name: "\(parent).\(written)", value: value, line: lineNumber))
            } else {
                sections[section]![name] = value
                lines[section, default: [:]][name] = lineNumber
                entries[section, default: []].append(Entry(name: written, value: value, line: lineNumber))
                nestedParent = value.isEmpty ? name : nil
            }
        }
    }

    /// Where `value # comment` starts its comment: a `#` or `;` that follows a space or tab.
    public static func inlineCommentStart(_ value: Substring) -> Substring.Index? {
        var previous: Character = "="
        for i in value.indices {
            let c = value[i]
            if (c == "#" || c == ";") && (previous == " " || previous == "\t") { return i }
            previous = c
        }
        return nil
    }

    /// Reads a file; a missing file is an empty one.
    public static func load(_ path: String, inlineComments: Bool = false) throws -> AWSConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw S3Error.configuration("cannot read \(path)")
        }
        return try AWSConfigFile(
            path: path, text: String(decoding: data, as: UTF8.self), inlineComments: inlineComments)
    }
}
