import Foundation
import S3

/// The hashed copies Django's `ManifestStaticFilesStorage` (and django-storages'
/// `S3ManifestStaticStorage`) left behind: every `collectstatic` writes `css/site.<12 hex>.css`
/// for changed files and `staticfiles.json` mapping each original to its current hashed
/// name, and never removes the old ones. A hashed file the current manifest does not name is
/// stale; a file it names, an unhashed original, and anything in a prefix without a
/// manifest is never listed.
public struct StaleStatic: Sendable {
    public static let manifestName = "staticfiles.json"
    /// A manifest is a few hundred bytes per static file; anything far larger is not one.
    public static let manifestLimit: Int64 = 64 << 20

    public let prefix: String
    /// Hashed names the manifest maps to, relative to the prefix, as bytes.
    public let current: Set<ObjectKey>
    public let olderThan: Int?
    public let now: Date

    public init(prefix: String, manifest: Data, olderThan: Int? = nil, now: Date = Date()) throws {
        guard let object = try? JSONSerialization.jsonObject(with: manifest) as? [String: Any],
              let paths = object["paths"] as? [String: Any] else {
            throw S3Error.invalidResponse("\(Self.manifestName) in s3://…/\(TerminalSafe.escape(prefix)) "
                                          + "has no \"paths\" map: it is not a Django static files manifest")
        }
        var names = Set<ObjectKey>()
        for case let value as String in paths.values { names.insert(ObjectKey(value)) }
        self.prefix = prefix
        current = names
        self.olderThan = olderThan
        self.now = now
    }

    /// Reads the manifest at the top of `prefix`; a missing one says so and lists nothing.
    public static func load(client: S3Client, bucket: String, prefix: String, olderThan: Int?) throws -> StaleStatic {
        let key = prefix + manifestName
        let head: ObjectHead
        do {
            head = try client.headObject(bucket: bucket, key: key)
        } catch let S3Error.service(e) where e.status == 404 {
            throw S3Error.configuration("no \(manifestName) at s3://\(bucket)/\(TerminalSafe.escape(key)): "
                                        + "without Django's manifest nothing can be called stale "
                                        + "(is this the static files' location?)")
        }
        guard head.size <= manifestLimit else {
            throw S3Error.invalidResponse("s3://\(bucket)/\(TerminalSafe.escape(key)) has \(head.size) bytes, "
                                          + "more than a manifest can have")
        }
        let sink = DataSink()
        _ = try client.getObject(bucket: bucket, key: key, ifMatch: head.etag.isEmpty ? nil : head.etag, sink: sink)
        var body = sink.data
        if head.contentEncoding?.lowercased() == "gzip", let plain = Gzip.decompress(body, limit: Int(manifestLimit)) {
            body = plain
        }
        return try StaleStatic(prefix: prefix, manifest: body, olderThan: olderThan)
    }

    /// `name.<12 lowercase hex>.ext` or `name.<12 hex>`: the form Django gives hashed files.
    public static func isHashed(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        let nameStart = (bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        let name = bytes[nameStart...]
        let dots = name.indices.filter { name[$0] == UInt8(ascii: ".") }
        // The hash sits before the last extension, or ends the name when there is none.
        for (i, dot) in dots.enumerated() {
            let end = i + 1 < dots.count ? dots[i + 1] : bytes.count
            guard end - dot - 1 == 12, dot > nameStart, i + 1 >= dots.count - 1 else { continue }
            if bytes[(dot + 1)..<end].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
                return true
            }
        }
        return false
    }

    public func isStale(_ o: ObjectSummary) -> Bool {
        guard o.key.hasBytePrefix(prefix), Self.isHashed(o.key) else { return false }
        let relative = o.key.droppingBytePrefix(prefix)
        guard !current.contains(ObjectKey(relative)) else { return false }
        if let olderThan {
            guard let modified = o.lastModified, now.timeIntervalSince(modified) >= Double(olderThan) else {
                return false
            }
        }
        return true
    }
}
