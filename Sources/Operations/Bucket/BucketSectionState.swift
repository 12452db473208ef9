import Foundation
import S3

/// One section of a bucket's settings as pail shows it.
public struct BucketSectionState: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// The configuration in the AWS CLI's JSON shape.
        case set(JSONValue)
        /// The bucket has none; the error code that said so.
        case notSet(String)
        /// The server does not do this; what it answered.
        case unsupported(String)
        /// The request failed (AccessDenied, ...): the one-line error.
        case failed(String)
    }

    public var section: BucketSection
    public var state: State

    public init(section: BucketSection, state: State) {
        self.section = section
        self.state = state
    }

    /// What to show, terminal-safe: one line for a value (`us-east-1`, `Enabled`), several for
    /// a document (the pretty-printed policy, CORS rules, ...). The JSON printer escapes every
    /// control and invisible character a server may have put in.
    public var lines: [String] {
        switch state {
        case .notSet(let code):
            return [section == .ownership ? "not set (\(code); ACLs apply as before 2023)" : "not set (\(code))"]
        case .unsupported(let why): return ["not supported by this server (\(TerminalSafe.escape(why)))"]
        case .failed(let message): return ["cannot read it: \(TerminalSafe.escape(message))"]
        case .set(let doc): return Self.describe(section, doc)
        }
    }

    static func describe(_ section: BucketSection, _ doc: JSONValue) -> [String] {
        func first(_ path: [String]) -> JSONValue? {
            var v: JSONValue? = doc
            for p in path {
                if case .array(let items)? = v { v = items.first?.value }
                v = v?[p]
            }
            if case .array(let items)? = v { return items.first?.value }
            return v
        }
        func text(_ v: JSONValue?) -> String? { v.map { $0.string.map(TerminalSafe.escape) ?? $0.compact } }
        switch section {
        case .region:
            return [text(doc["LocationConstraint"]).flatMap { $0 == "null" ? nil : $0 } ?? "us-east-1"]
        case .versioning:
            return [text(doc["Status"]) ?? "never enabled"]
        case .ownership:
            return [text(first(["OwnershipControls", "Rules", "ObjectOwnership"])) ?? "no rule"]
        case .encryption:
            let rule = first(["ServerSideEncryptionConfiguration", "Rules", "ApplyServerSideEncryptionByDefault"])
            let key = text(rule?["KMSMasterKeyID"]).map { " (key \($0))" } ?? ""
            return [(text(rule?["SSEAlgorithm"]) ?? "no rule") + key]
        case .publicAccessBlock:
            guard case .object(let fields)? = doc["PublicAccessBlockConfiguration"] else { return [doc.compact] }
            return [fields.map { "\(TerminalSafe.escape($0.key))=\($0.value.compact)" }.joined(separator: " ")]
        case .policy:
            return BucketConfigurations.editableText(.policy, .set(doc)).split(separator: "\n").map(String.init)
        default:
            return doc.pretty().split(separator: "\n").map(String.init)
        }
    }
}
