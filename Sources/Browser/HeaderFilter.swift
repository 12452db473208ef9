import Foundation
import Operations

/// A filter on a header column: `cc:no-cache`, `ct:text/css`, `ce:gzip`; `cc:` alone keeps
/// the objects without Cache-Control, `cc:!immutable` those whose value lacks the word.
struct HeaderFilter {
    var column: SortKey
    var text: String
    var negated: Bool

    init?(_ filter: String) {
        let names: [(String, SortKey)] = [("cc:", .cacheControl), ("ct:", .contentType), ("ce:", .contentEncoding)]
        guard let (prefix, key) = names.first(where: { filter.lowercased().hasPrefix($0.0) }) else { return nil }
        column = key
        var rest = String(filter.dropFirst(prefix.count))
        negated = rest.hasPrefix("!")
        if negated { rest.removeFirst() }
        text = rest
    }

    func matches(_ value: String?) -> Bool {
        let found: Bool
        if text.isEmpty {
            found = value == nil || value?.isEmpty == true
        } else {
            found = value?.range(of: text, options: [.caseInsensitive]) != nil
        }
        return found != negated
    }
}
