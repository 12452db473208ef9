import Foundation
import S3

/// A bucket's settings, read and edited whole: what `pail bucket show`/`edit` run, and what a
/// bucket page in the browser can call (`readAll` off the main thread, then
/// `BucketSectionState.lines` per section; an edit is `editableText`, `prepare`, `backup`,
/// `apply`).
public struct BucketConfigurations: Sendable {
    public let client: S3Client
    public init(client: S3Client) { self.client = client }

    public static let showOrder: [BucketSection] = [.region, .versioning, .ownership, .encryption, .publicAccessBlock,
                                                      .policy, .cors, .lifecycle, .website, .tags]

    public func read(bucket: String, section: BucketSection) -> BucketSectionState {
        do {
            switch try client.getBucketConfiguration(bucket: bucket, section: section) {
            case .document(let doc): return BucketSectionState(section: section, state: .set(doc))
            case .notSet(let code): return BucketSectionState(section: section, state: .notSet(code))
            case .unsupported(let why): return BucketSectionState(section: section, state: .unsupported(why))
            }
        } catch {
            return BucketSectionState(section: section, state: .failed(String(describing: error)))
        }
    }

    /// Every section. A bucket that does not exist (or cannot be reached) is one error, not
    /// ten: the region is asked first and its failure ends the reading.
    public func readAll(bucket: String) throws -> [BucketSectionState] {
        var out: [BucketSectionState] = []
        for section in Self.showOrder {
            if section == .region {
                do {
                    let answer = try client.getBucketConfiguration(bucket: bucket, section: .region)
                    switch answer {
                    case .document(let d): out.append(BucketSectionState(section: .region, state: .set(d)))
                    case .notSet(let c): out.append(BucketSectionState(section: .region, state: .notSet(c)))
                    case .unsupported(let w): out.append(BucketSectionState(section: .region, state: .unsupported(w)))
                    }
                } catch let error as S3Error {
                    if case .service(let e) = error, e.code != "NoSuchBucket", e.status != 404 {
                        out.append(BucketSectionState(section: .region, state: .failed(error.description)))
                        continue
                    }
                    throw error
                }
                continue
            }
            out.append(read(bucket: bucket, section: section))
        }
        return out
    }

    /// The section as the JSON a person edits: the AWS CLI's shape, or for a policy the
    /// policy document itself, pretty-printed; empty when nothing is set.
    public static func editableText(_ section: BucketSection, _ state: BucketSectionState.State) -> String {
        guard case .set(let doc) = state else { return "" }
        if section == .policy, let text = doc["Policy"]?.string {
            guard let policy = try? JSONValue.parse(text) else { return text + "\n" }
            return policy.pretty() + "\n"
        }
        return doc.pretty() + "\n"
    }

    /// Checks an edited document and turns it into the request body. Whitespace only (an
    /// emptied file) means delete the configuration.
    public static func prepare(_ section: BucketSection, text: String) throws -> BucketChange {
        if text.allSatisfy({ $0.isWhitespace }) { return .delete }
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch let e as JSONSyntaxError {
            throw BucketConfigError(line: e.line, message: e.message)
        }
        if section == .policy {
            guard case .object(let fields) = value, !fields.isEmpty else {
                throw BucketConfigError(line: 1,
                                        message: "a policy is a JSON object with \"Version\" and \"Statement\"")
            }
            for need in ["Statement"] where value[need] == nil {
                throw BucketConfigError(line: 1, message: "the policy needs \"\(need)\"")
            }
            return .replace(Data(value.compact.utf8))
        }
        guard let codec = BucketConfigCodec.forSection(section), BucketSection.editable.contains(section) else {
            throw BucketConfigError(line: nil, message: "\(section.rawValue) cannot be edited as a document")
        }
        return .replace(try codec.xml(fromJSON: value))
    }

    /// Saves the configuration about to be replaced under
    /// `$XDG_STATE_HOME/pail/bucket-configs/` (else ~/.local/state/...), mode 600, in a new
    /// file that cannot be a link planted in advance. Returns its path.
    public static func backup(bucket: String, section: BucketSection, text: String,
                              environment env: [String: String]) throws -> String {
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        let dir = base + "/pail/bucket-configs"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw S3Error.local("cannot create \(dir) for the backup of the \(section.title) configuration: "
                                + error.localizedDescription)
        }
        let stamp = Timestamps.formatISO8601(Date()).replacingOccurrences(of: ":", with: "")
        // Bucket names are letters, digits, dots and dashes: safe in a file name as they are.
        let safeBucket = String(bucket.unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" ? Character($0) : "_"
        })
        let path = "\(dir)/\(safeBucket)-\(section.rawValue)-\(stamp)-\(UInt32.random(in: 0...UInt32.max)).json"
        try PrivateFile.write(path, Data(text.utf8))
        return path
    }

    public func apply(bucket: String, section: BucketSection, change: BucketChange) throws {
        switch change {
        case .replace(let body): try client.putBucketConfiguration(bucket: bucket, section: section, body: body)
        case .delete: try client.deleteBucketConfiguration(bucket: bucket, section: section)
        }
    }
}
