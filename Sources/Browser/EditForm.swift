import Foundation
import Operations

/// The header edit form: one line per field; an empty value keeps the header, "-" removes it.
public struct EditForm: Equatable, Sendable {
    /// The form's lines: the headers `set-headers` edits, then the metadata line.
    public static let headers: [HeaderField] = [.cacheControl, .contentType, .contentEncoding, .contentDisposition,
                                                .contentLanguage, .expires]
    public static let fields = headers.map(\.rawValue) + ["Metadata"]
    public var bucket: String
    public var keys: [String]
    public var prefixes: [String]
    public var label: String
    /// What is typed in each field, with its cursor.
    public var lines: [LineEditor]
    public var values: [String] {
        get { lines.map(\.text) }
        set { lines = newValue.map { LineEditor($0) } }
    }
    /// The current values of a single object, as stored (nil: the object has no such header),
    /// shown as hints and taken by ^R.
    public var current: [String?]
    public var focus = 0
    /// Whether `current` was read from the object (one object whose headers had arrived).
    public var knowsCurrent = false
    /// Fields whose current value is known though `knowsCurrent` is not (the audit knows three).
    public var knownFields: Set<Int> = []
    /// Fields whose value differs between the objects edited: no single hint, nothing for ^R.
    public var varies: Set<Int> = []
    /// A Content-Type that does not match the extension, which a second Enter sends anyway.
    public var typeMismatchAsked: String?

    public init(bucket: String, keys: [String], prefixes: [String], label: String, values: [String],
                current: [String?], focus: Int = 0, knowsCurrent: Bool = false) {
        self.bucket = bucket
        self.keys = keys
        self.prefixes = prefixes
        self.label = label
        self.lines = values.map { LineEditor($0) }
        self.current = current
        self.focus = focus
        self.knowsCurrent = knowsCurrent
    }

    /// The hint an empty field shows: its current value, "(varies)", or nil when unknown.
    func hint(_ field: Int) -> String? {
        if let value = current[field], !value.isEmpty { return "(now: \(Formatting.safe(value)))" }
        if varies.contains(field) { return "(varies)" }
        if knowsCurrent || knownFields.contains(field) { return "(now: not set)" }
        return nil
    }

    /// The first value that would be stored wrong: its field and a one-line reason.
    func problem() -> (field: Int, message: String)? {
        let cache = values[0].trimmingCharacters(in: .whitespaces)
        if !cache.isEmpty && cache != "-" {
            do { try CacheControl.parse(values[0]) } catch let p as CacheControl.Problem {
                return (0, Formatting.safe(p.description))
            } catch { return (0, "Cache-Control: \(error)") }
        }
        let type = values[1].trimmingCharacters(in: .whitespaces)
        if !type.isEmpty && type != "-", let p = ContentTypes.problem(type) { return (1, Formatting.safe(p)) }
        return nil
    }

    /// The change the form describes, as `pail set-headers` builds it: a field set, or
    /// removed by "-"; metadata as "k=v, k2=v2, -gone" (names lower-case, as S3 keeps them).
    public var changes: HeaderChanges {
        var c = HeaderChanges()
        for (i, field) in Self.headers.enumerated() {
            let v = values[i].trimmingCharacters(in: .whitespaces)
            if v == "-" { c.removeFields.insert(field) } else if !v.isEmpty { c.setFields[field] = v }
        }
        for item in values[Self.fields.count - 1].split(separator: ",") {
            let t = item.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("-") {
                c.removeMetadata.insert(String(t.dropFirst()).lowercased())
            } else if let eq = t.firstIndex(of: "=") {
                let name = t[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
                c.setMetadata[name] = String(t[t.index(after: eq)...])
            }
        }
        return c
    }
}
