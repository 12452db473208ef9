import Foundation

enum TaggingParser {
    static func parse(_ data: Data) throws -> [(String, String)] {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [] }
        var tags: [(String, String)] = []
        var key: String?
        var value = ""
        var root: String?
        try XMLDocumentReader.read(data, what: "Tagging", onStart: { path in
            if path.count == 1 { root = path[0] }
            if path == ["Tagging", "TagSet", "Tag"] { key = nil; value = "" }
        }) { path, text in
            guard path.count == 4, path[0] == "Tagging", path[1] == "TagSet", path[2] == "Tag" else {
                if path == ["Tagging", "TagSet", "Tag"], let key { tags.append((key, value)) }
                return
            }
            if path[3] == "Key" { key = text }
            if path[3] == "Value" { value = text }
        }
        guard root == "Tagging" else {
            let got = root.map { "<\($0)>" } ?? "no XML element"
            throw S3Error.invalidResponse("expected a Tagging document, got \(got)")
        }
        return tags
    }

    static func document(_ tags: [(String, String)]) throws -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
        for (k, v) in tags {
            guard XMLText.canCarry(k), XMLText.canCarry(v) else {
                throw S3Error.local("a tag has a control character, which an XML tagging request cannot carry")
            }
            xml += "<Tag><Key>\(XMLText.escape(k))</Key><Value>\(XMLText.escape(v))</Value></Tag>"
        }
        return xml + "</TagSet></Tagging>"
    }
}
