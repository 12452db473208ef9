import Foundation
import S3

/// The preview of an edit counted as objects go by, so a prefix of any size is previewed in
/// bounded memory: per field, how many objects hold each value (the first `distinctValues`
/// values, the rest counted together) and how many change.
public struct PreviewTally: Sendable {
    public static let distinctValues = 1000
    public static let otherValues = "(other values)"
    public let changes: HeaderChanges
    public private(set) var objects = 0
    public private(set) var changing = 0
    private var before: [String: [String: Int]] = [:]
    private var changingPerField: [String: Int] = [:]

    public init(changes: HeaderChanges) { self.changes = changes }

    private var fields: [(name: String, value: (HeaderSnapshot) -> String?, after: String)] {
        var out: [(String, (HeaderSnapshot) -> String?, String)] = []
        for f in HeaderField.allCases where changes.setFields[f] != nil || changes.removeFields.contains(f) {
            out.append((f.rawValue, { $0.fields[f] }, changes.setFields[f] ?? "(removed)"))
        }
        for k in Set(changes.setMetadata.keys).union(changes.removeMetadata).sorted() {
            let name = k.lowercased()
            out.append(("meta \(name)", { $0.metadata[name] }, changes.setMetadata[k] ?? "(removed)"))
        }
        return out
    }

    public mutating func add(_ item: EditItem) {
        objects += 1
        if item.changes { changing += 1 }
        for f in fields {
            var values = before[f.name, default: [:]]
            let value = f.value(item.before) ?? "(none)"
            let slot = values[value] != nil || values.count < Self.distinctValues ? value : Self.otherValues
            values[slot, default: 0] += 1
            before[f.name] = values
            if f.value(item.before) != f.value(item.after) { changingPerField[f.name, default: 0] += 1 }
        }
    }

    public var previews: [FieldPreview] {
        fields.map { FieldPreview(field: $0.name, before: before[$0.name] ?? [:], after: $0.after,
                                  changing: changingPerField[$0.name] ?? 0) }
    }
}
