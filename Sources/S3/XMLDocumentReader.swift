import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small streaming reader over XMLParser: calls `onElement(path, text)` for each element
/// as it closes, with the path of element names from the root. Malformed or truncated XML
/// becomes an error, never a crash.
final class XMLDocumentReader: NSObject, XMLParserDelegate {
    private var path: [String] = []
    private var text = ""
    private let onElement: (_ path: [String], _ text: String) -> Void
    private let onStart: ((_ path: [String]) -> Void)?
    private let root: String?
    private var wrongRoot: String?
    private var sawElement = false

    init(root: String?, onStart: ((_ path: [String]) -> Void)? = nil,
         onElement: @escaping (_ path: [String], _ text: String) -> Void) {
        self.root = root
        self.onStart = onStart
        self.onElement = onElement
    }

    /// Reads a whole document. With `root`, any other root element (a listing where a
    /// configuration was asked for, an HTML page, an `<Error>`) is an error before a single
    /// element reaches `onElement`: an answer that is not the document asked for is never
    /// parsed as if it were.
    static func read(_ data: Data, what: String, root: String? = nil, onStart: ((_ path: [String]) -> Void)? = nil,
                     onElement: @escaping (_ path: [String], _ text: String) -> Void) throws {
        // S3 sends whitespace ahead of the document to keep a long copy alive; an XML
        // declaration after it would be malformed, so it goes.
        let body = data.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard !body.isEmpty else { throw S3Error.invalidResponse("empty \(what) body") }
        // FoundationXML traps on an element name that is not UTF-8 (`<\xFF>`); S3 sends only UTF-8.
        guard String(validating: body, as: UTF8.self) != nil else {
            throw S3Error.invalidResponse("\(what) body is not UTF-8")
        }
        // It also reads a NULL pointer at a processing instruction without data (`<?x?>`).
        guard !hasProcessingInstruction(Data(body)) else {
            throw S3Error.invalidResponse("\(what) body holds a processing instruction")
        }
        let prolog = Self.prolog(body)
        // S3 never sends a DTD; refusing one rules out entity expansion ("billion laughs").
        if prolog.declaration { throw S3Error.invalidResponse("\(what) body with a DOCTYPE or other declaration") }
        if let root, let found = prolog.root, found != root {
            throw S3Error.invalidResponse("expected \(root), got \(found.prefix(64)) instead")
        }
        let reader = XMLDocumentReader(root: root, onStart: onStart, onElement: onElement)
        // Copy only when whitespace was cut (a listing page can be megabytes).
        let parser = XMLParser(data: body.count == data.count ? data : Data(body))
        parser.delegate = reader
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let wrong = reader.wrongRoot {
            throw S3Error.invalidResponse("expected \(root ?? what), got \(wrong.prefix(64)) instead")
        }
        // Text that is not XML at all ("OK") can pass XMLParser without a single element.
        if parsed && !reader.sawElement {
            throw S3Error.invalidResponse("expected \(root ?? what), got no XML document")
        }
        if !parsed || !reader.path.isEmpty {
            let detail = parser.parserError.map { "\($0.localizedDescription)" } ?? "truncated document"
            throw S3Error.invalidResponse("malformed \(what) XML (line \(parser.lineNumber)): \(detail)")
        }
    }

    /// The root element's name (nil when the body does not start like XML) and whether a
    /// `<!DOCTYPE` or other declaration comes before it. Leading whitespace, a byte order
    /// mark, the XML declaration and comments are skipped.
    static func prolog<D: Collection>(_ data: D) -> (root: String?, declaration: Bool) where D.Element == UInt8 {
        // Whitespace of any length is skipped lazily; the rest is looked at for 64 KiB at most.
        let bytes = Array(data.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.prefix(1 << 16))
        var i = 0
        func starts(_ s: String) -> Bool { bytes[i...].starts(with: s.utf8) }
        func skip(past end: String) -> Bool {
            let e = Array(end.utf8)
            while i + e.count <= bytes.count {
                if bytes[i..<(i + e.count)].elementsEqual(e) { i += e.count; return true }
                i += 1
            }
            return false
        }
        if starts("\u{FEFF}") { i += 3 }
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case 0x3C:
                if starts("<?") { if !skip(past: "?>") { return (nil, false) } }
                else if starts("<!--") { if !skip(past: "-->") { return (nil, false) } }
                else if starts("<!") { return (nil, true) }
                else {
                    i += 1
                    let start = i
                    while i < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x2F, 0x3E].contains(bytes[i]) { i += 1 }
                    return (String(decoding: bytes[start..<i], as: UTF8.self), false)
                }
            default: return (nil, false)
            }
        }
        return (nil, false)
    }

    /// Whether a body is an `<Error>` document, whatever whitespace comes first and however
    /// long it is (S3 rule 5).
    static func isErrorDocument(_ data: Data) -> Bool { prolog(data).root == "Error" }

    /// Any `<?` but that of a leading `<?xml version=` declaration (after the whitespace S3
    /// may send to keep a long copy alive): S3 sends no other.
    static func hasProcessingInstruction(_ data: Data) -> Bool {
        let body = data.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let declaration = body.starts(with: "<?xml version=".utf8) ? body.startIndex + 1 : nil
        return body.indices.dropFirst().contains { i in
            body[i] == UInt8(ascii: "?") && body[i - 1] == UInt8(ascii: "<") && i != declaration
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if path.isEmpty, let root, elementName != root {
            wrongRoot = elementName
            parser.abortParsing()
            return
        }
        sawElement = true
        path.append(elementName)
        text = ""
        onStart?(path)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if wrongRoot == nil { text += string } }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard wrongRoot == nil else { return }
        onElement(path, text)
        text = ""
        if !path.isEmpty { path.removeLast() }
    }
}
