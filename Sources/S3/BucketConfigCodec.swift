import Foundation

/// Converts bucket configurations between S3's XML and the JSON the AWS CLI prints
/// (`aws s3api get-bucket-cors` and friends), in both directions, with one table per
/// section: which XML elements repeat to make a JSON list (`<CORSRule>`s are `CORSRules`),
/// which are wrapped lists (`<TagSet><Tag>`), which values are numbers or booleans. Going to
/// XML, every field is checked against the table so a typo is an error with its line, not a
/// request the server refuses with a vague message (or worse, accepts and ignores).
public struct BucketConfigCodec: Sendable {
    let root: String
    /// Parent XML element -> repeated child element -> JSON list name.
    let flattened: [String: [String: String]]
    /// JSON list name (also the XML wrapper) -> item element.
    let wrapped: [String: String]
    let numbers: Set<String>
    let booleans: Set<String>
    /// Elements that are objects even when empty (`<Filter/>` is `{}`, not "").
    let objects: Set<String>
    let known: Set<String>
    /// XML element -> the JSON fields it must have.
    let required: [String: [String]]

    public static func forSection(_ section: BucketSection) -> BucketConfigCodec? {
        switch section {
        case .cors: return cors
        case .lifecycle: return lifecycle
        case .website: return website
        case .tags: return tags
        case .ownership: return ownership
        case .encryption: return encryption
        case .publicAccessBlock: return publicAccessBlock
        case .versioning: return versioning
        case .region, .policy: return nil
        }
    }

    static let cors = BucketConfigCodec(
        root: "CORSConfiguration",
        flattened: ["CORSConfiguration": ["CORSRule": "CORSRules"],
                    "CORSRule": ["AllowedHeader": "AllowedHeaders", "AllowedMethod": "AllowedMethods",
                                 "AllowedOrigin": "AllowedOrigins", "ExposeHeader": "ExposeHeaders"]],
        wrapped: [:], numbers: ["MaxAgeSeconds"], booleans: [], objects: [],
        known: ["CORSRules", "ID", "AllowedHeaders", "AllowedMethods", "AllowedOrigins", "ExposeHeaders",
                "MaxAgeSeconds"],
        required: ["CORSConfiguration": ["CORSRules"], "CORSRule": ["AllowedMethods", "AllowedOrigins"]])

    static let lifecycle = BucketConfigCodec(
        root: "LifecycleConfiguration",
        flattened: ["LifecycleConfiguration": ["Rule": "Rules"],
                    "Rule": ["Transition": "Transitions",
                             "NoncurrentVersionTransition": "NoncurrentVersionTransitions"],
                    "And": ["Tag": "Tags"]],
        wrapped: [:],
        numbers: ["Days", "NoncurrentDays", "DaysAfterInitiation", "NewerNoncurrentVersions", "ObjectSizeGreaterThan",
                  "ObjectSizeLessThan"],
        booleans: ["ExpiredObjectDeleteMarker"],
        objects: ["Filter", "And", "Expiration", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload"],
        known: ["Rules", "ID", "Prefix", "Filter", "And", "Tag", "Tags", "Key", "Value", "Status", "Expiration", "Date",
                "Days", "ExpiredObjectDeleteMarker", "Transitions", "StorageClass", "NoncurrentVersionTransitions",
                "NoncurrentVersionExpiration", "NoncurrentDays", "NewerNoncurrentVersions",
                "AbortIncompleteMultipartUpload", "DaysAfterInitiation", "ObjectSizeGreaterThan", "ObjectSizeLessThan"],
        required: ["LifecycleConfiguration": ["Rules"], "Rule": ["Status"], "Tag": ["Key", "Value"]])

    static let website = BucketConfigCodec(
        root: "WebsiteConfiguration", flattened: [:], wrapped: ["RoutingRules": "RoutingRule"],
        numbers: [], booleans: [],
        objects: ["IndexDocument", "ErrorDocument", "RedirectAllRequestsTo", "Condition", "Redirect"],
        known: ["IndexDocument", "Suffix", "ErrorDocument", "Key", "RedirectAllRequestsTo", "HostName", "Protocol",
                "RoutingRules", "Condition", "HttpErrorCodeReturnedEquals", "KeyPrefixEquals", "Redirect",
                "HttpRedirectCode", "ReplaceKeyPrefixWith", "ReplaceKeyWith"],
        required: ["IndexDocument": ["Suffix"], "ErrorDocument": ["Key"], "RedirectAllRequestsTo": ["HostName"]])

    static let tags = BucketConfigCodec(
        root: "Tagging", flattened: [:], wrapped: ["TagSet": "Tag"], numbers: [], booleans: [], objects: [],
        known: ["TagSet", "Key", "Value"], required: ["Tagging": ["TagSet"], "Tag": ["Key", "Value"]])

    static let ownership = BucketConfigCodec(
        root: "OwnershipControls", flattened: ["OwnershipControls": ["Rule": "Rules"]], wrapped: [:], numbers: [],
        booleans: [], objects: [], known: ["Rules", "ObjectOwnership"], required: [:])

    static let encryption = BucketConfigCodec(
        root: "ServerSideEncryptionConfiguration", flattened: ["ServerSideEncryptionConfiguration": ["Rule": "Rules"]],
        wrapped: [:], numbers: [], booleans: ["BucketKeyEnabled"], objects: ["ApplyServerSideEncryptionByDefault"],
        known: ["Rules", "ApplyServerSideEncryptionByDefault", "SSEAlgorithm", "KMSMasterKeyID", "BucketKeyEnabled"],
        required: [:])

    static let publicAccessBlock = BucketConfigCodec(
        root: "PublicAccessBlockConfiguration", flattened: [:], wrapped: [:], numbers: [],
        booleans: ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"], objects: [],
        known: ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"], required: [:])

    static let versioning = BucketConfigCodec(
        root: "VersioningConfiguration", flattened: [:], wrapped: [:], numbers: [], booleans: [], objects: [],
        known: ["Status", "MfaDelete"], required: [:])

    // MARK: XML to JSON

    /// The server's document as the AWS CLI shows it. Any other root element (an `<Error>`,
    /// a bucket listing, HTML) is an error: it is never read as this configuration.
    public func json(fromXML data: Data) throws -> JSONValue {
        let tree = try XMLTree.parse(data, root: root)
        return object(tree)
    }

    private func object(_ node: XMLTree) -> JSONValue {
        var fields: [(key: String, value: JSONValue, line: Int)] = []
        for child in node.children {
            if let list = flattened[node.name]?[child.name] {
                let item = (value: convert(child), line: 0)
                if let i = fields.firstIndex(where: { $0.key == list }), case .array(var items) = fields[i].value {
                    items.append(item)
                    fields[i].value = .array(items)
                } else {
                    fields.append((list, .array([item]), 0))
                }
            } else if let item = wrapped[child.name] {
                let items = child.children.filter { $0.name == item }.map { (value: convert($0), line: 0) }
                fields.append((child.name, .array(items), 0))
            } else {
                fields.append((child.name, convert(child), 0))
            }
        }
        return .object(fields)
    }

    private func convert(_ node: XMLTree) -> JSONValue {
        if !node.children.isEmpty || objects.contains(node.name) || flattened[node.name] != nil { return object(node) }
        if numbers.contains(node.name), Int64(node.text) != nil { return .number(node.text) }
        if booleans.contains(node.name), node.text == "true" || node.text == "false" {
            return .bool(node.text == "true")
        }
        return .string(node.text)
    }

    // MARK: JSON to XML

    /// The XML to PUT for an edited document, every field checked first.
    public func xml(fromJSON value: JSONValue) throws -> Data {
        guard case .object(let fields) = value else {
            throw BucketConfigError(line: 1, message: "the document must be a JSON object ({ ... })")
        }
        let body = try element(fields, name: root, line: 1)
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        return Data((head + "<\(root) xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + body + "</\(root)>").utf8)
    }

    private func element(_ fields: [(key: String, value: JSONValue, line: Int)], name: String,
                         line: Int) throws -> String {
        // A misspelt field first: "AllowedOrigin" is the mistake, not a missing "AllowedOrigins".
        for field in fields where !known.contains(field.key) {
            let hint = known.sorted().first { $0.lowercased() == field.key.lowercased() || $0 == field.key + "s" }
            throw BucketConfigError(line: field.line, message: "unknown field \(JSONValue.quote(field.key))"
                                    + (hint.map { " (did you mean \"\($0)\"?)" } ?? ""))
        }
        for need in required[name] ?? [] where !fields.contains(where: { $0.key == need }) {
            let what = name == root ? "the document" : "this \(name)"
            throw BucketConfigError(line: line, message: "\(what) needs \"\(need)\"")
        }
        var xml = ""
        for field in fields {
            let flatItem = flattened[name]?.first { $0.value == field.key }?.key
            if let item = flatItem ?? wrapped[field.key] {
                guard case .array(let items) = field.value else {
                    throw BucketConfigError(line: field.line, message: "\"\(field.key)\" must be a list ([ ... ])")
                }
                var inner = ""
                for entry in items {
                    inner += "<\(item)>" + (try value(entry.value, name: item, line: entry.line)) + "</\(item)>"
                }
                xml += flatItem != nil ? inner : "<\(field.key)>\(inner)</\(field.key)>"
            } else {
                let inner = try value(field.value, name: field.key, line: field.line)
                xml += "<\(field.key)>" + inner + "</\(field.key)>"
            }
        }
        return xml
    }

    private func value(_ v: JSONValue, name: String, line: Int) throws -> String {
        func wrong(_ what: String) -> BucketConfigError {
            BucketConfigError(line: line, message: "\"\(name)\" \(what)")
        }
        switch v {
        case .object(let fields):
            return try element(fields, name: name, line: line)
        case .string(let s):
            if numbers.contains(name) { throw wrong("must be a number, without quotes") }
            if booleans.contains(name) { throw wrong("must be true or false, without quotes") }
            if objects.contains(name) || flattened[name] != nil { throw wrong("must be an object ({ ... })") }
            guard XMLText.canCarry(s) else { throw wrong("holds a control character, which S3's XML cannot carry") }
            return XMLText.escape(s)
        case .number(let n):
            guard numbers.contains(name) else { throw wrong("must be a string in double quotes") }
            guard let i = Int64(n), i >= 0 else { throw wrong("must be a whole number from 0 up") }
            return String(i)
        case .bool(let b):
            guard booleans.contains(name) else { throw wrong("cannot be true or false here") }
            return b ? "true" : "false"
        case .array: throw wrong("cannot be a list here")
        case .null: throw wrong("cannot be null; leave the field out instead")
        }
    }
}
