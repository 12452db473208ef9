import Foundation

/// A small document tree, for configurations (a few kilobytes), never for listings.
struct XMLTree {
    var name: String
    var text = ""
    var children: [XMLTree] = []

    static func parse(_ data: Data, root: String) throws -> XMLTree {
        var stack: [XMLTree] = []
        var done: XMLTree?
        try XMLDocumentReader.read(data, what: root, root: root, onStart: { path in
            stack.append(XMLTree(name: path.last ?? ""))
        }) { _, text in
            guard var node = stack.popLast() else { return }
            node.text = text
            if stack.isEmpty { done = node } else { stack[stack.count - 1].children.append(node) }
        }
        guard let done else { throw S3Error.invalidResponse("expected \(root), got no XML document") }
        return done
    }
}
