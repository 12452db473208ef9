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

    init(onStart: ((_ path: [String]) -> Void)? = nil, onElement: @escaping (_ path: [String], _ text: String) -> Void) {
        self.onStart = onStart
        self.onElement = onElement
    }

    static func read(_ data: Data, what: String, onStart: ((_ path: [String]) -> Void)? = nil,
                     onElement: @escaping (_ path: [String], _ text: String) -> Void) throws {
        guard !data.isEmpty else { throw S3Error.invalidResponse("empty \(what) body") }
        // FoundationXML traps on an element name that is not UTF-8 (`<\xFF>`); S3 sends only UTF-8.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw S3Error.invalidResponse("\(what) body is not UTF-8")
        }
        // It also reads a NULL pointer at a processing instruction without data (`<?x?>`).
        guard !hasProcessingInstruction(data) else {
            throw S3Error.invalidResponse("\(what) body holds a processing instruction")
        }
        let reader = XMLDocumentReader(onStart: onStart, onElement: onElement)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        if !parser.parse() || !reader.path.isEmpty {
            let detail = parser.parserError.map { "\($0.localizedDescription)" } ?? "truncated document"
            throw S3Error.invalidResponse("malformed \(what) XML (line \(parser.lineNumber)): \(detail)")
        }
    }

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
        path.append(elementName)
        text = ""
        onStart?(path)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        onElement(path, text)
        text = ""
        if !path.isEmpty { path.removeLast() }
    }
}

enum ErrorResponseParser {
    /// Reads `<Error><Code/><Message/><RequestId/>...</Error>`; nil if the body is not one.
    static func parse(_ data: Data, status: Int) -> ServiceError? {
        guard !data.isEmpty else { return nil }
        var fields: [String: String] = [:]
        var isError = false
        do {
            try XMLDocumentReader.read(data, what: "error") { path, text in
                if path.count == 1 && path[0] == "Error" { isError = true }
                if path.count == 2 && path[0] == "Error" { fields[path[1]] = text }
            }
        } catch { return nil }
        guard isError, let code = fields["Code"] else { return nil }
        return ServiceError(status: status, code: code, message: fields["Message"] ?? "",
                            requestId: fields["RequestId"], region: fields["Region"],
                            endpoint: fields["Endpoint"])
    }
}

enum ListBucketsParser {
    static func parse(_ data: Data) throws -> [Bucket] {
        var buckets: [Bucket] = []
        var name = ""
        var created: Date?
        var sawRoot = false
        try XMLDocumentReader.read(data, what: "ListAllMyBuckets") { path, text in
            if path.count == 1 { sawRoot = path[0] == "ListAllMyBucketsResult" }
            guard path.count == 4, path[1] == "Buckets" else {
                if path.count == 3, path[1] == "Buckets", path[2] == "Bucket" {
                    buckets.append(Bucket(name: name, creationDate: created))
                    name = ""
                    created = nil
                }
                return
            }
            switch path[3] {
            case "Name": name = text
            case "CreationDate": created = Timestamps.parseISO8601(text)
            default: break
            }
        }
        guard sawRoot else { throw S3Error.invalidResponse("expected ListAllMyBucketsResult") }
        return buckets
    }
}

enum ListObjectsV2Parser {
    static func parse(_ data: Data) throws -> ListPage {
        var page = ListPage()
        var urlEncoded = false
        var sawRoot = false
        var key = "", etag = "", size: Int64 = 0, modified: Date? = nil, storageClass: String? = nil
        var commonPrefix = ""
        var badSize: String?
        try XMLDocumentReader.read(data, what: "ListObjectsV2") { path, text in
            switch path.count {
            case 1:
                sawRoot = path[0] == "ListBucketResult"
            case 2:
                switch path[1] {
                case "Name": page.bucket = text
                case "Prefix": page.prefix = text
                case "IsTruncated": page.isTruncated = text == "true"
                case "NextContinuationToken": page.nextContinuationToken = text
                case "EncodingType": urlEncoded = text.lowercased() == "url"
                case "Contents":
                    page.objects.append(ObjectSummary(key: key, size: size, lastModified: modified,
                                                      etag: etag, storageClass: storageClass))
                    key = ""; etag = ""; size = 0; modified = nil; storageClass = nil
                case "CommonPrefixes":
                    page.commonPrefixes.append(commonPrefix)
                    commonPrefix = ""
                default: break
                }
            case 3:
                if path[1] == "Contents" {
                    switch path[2] {
                    case "Key": key = text
                    case "ETag": etag = ObjectHead.unquote(text)
                    case "Size":
                        if let v = Int64(text) { size = v } else { badSize = text }
                    case "LastModified": modified = Timestamps.parseISO8601(text)
                    case "StorageClass": storageClass = text
                    default: break
                    }
                } else if path[1] == "CommonPrefixes" && path[2] == "Prefix" {
                    commonPrefix = text
                }
            default: break
            }
        }
        guard sawRoot else { throw S3Error.invalidResponse("expected ListBucketResult") }
        if let badSize { throw S3Error.invalidResponse("object size \"\(badSize)\" is not a number") }
        // S3 rule 21: decode only when the server says it encoded (some ignore the parameter).
        if urlEncoded {
            page.prefix = URIEncoding.decode(page.prefix, plusIsSpace: true)
            for i in page.objects.indices {
                page.objects[i].key = URIEncoding.decode(page.objects[i].key, plusIsSpace: true)
            }
            page.commonPrefixes = page.commonPrefixes.map { URIEncoding.decode($0, plusIsSpace: true) }
        }
        if page.isTruncated && (page.nextContinuationToken ?? "").isEmpty {
            throw S3Error.invalidResponse("a truncated listing without NextContinuationToken")
        }
        return page
    }
}
