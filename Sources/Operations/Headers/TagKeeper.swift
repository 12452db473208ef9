import Foundation
import S3

/// Makes a copy keep the source's tags on every server. S3 keeps tags across a copy
/// (`x-amz-tagging-directive: COPY`), but not every server does: Ceph RGW, the engine behind
/// DigitalOcean Spaces, drops them on a copy that replaces metadata and on a multipart upload.
/// So while a server's habit is unknown, the tags are read before the copy and compared after
/// it; a server found to keep them is trusted from then on (no extra request), one found to
/// drop them gets them put back after each copy. What is learned holds for the process, per
/// endpoint and kind of copy, since RGW keeps tags on a plain copy and drops them on the others.
public struct TagKeeper: Sendable {
    public enum CopyKind: String, Sendable {
        /// CopyObject with `x-amz-metadata-directive: COPY` (a copy that changes nothing).
        case copy
        /// CopyObject with `x-amz-metadata-directive: REPLACE` (a header edit).
        case replace
        /// CreateMultipartUpload + UploadPartCopy (objects over the CopyObject limit).
        case multipart
    }

    public enum Habit: Sendable, Equatable {
        case keeps
        case drops
    }

    public let client: S3Client

    public init(client: S3Client) {
        self.client = client
    }

    /// Process-wide: every client of one endpoint shares what was learned.
    private final class Habits: @unchecked Sendable {
        let lock = NSLock()
        var byEndpoint: [String: Habit] = [:]
    }

    private static let habits = Habits()

    private func learnedKey(_ kind: CopyKind) -> String {
        "\(client.config.endpoint.isDefaultAWS ? "aws" : client.config.endpoint.display) \(kind.rawValue)"
    }

    /// What this process has learned of the client's endpoint, nil while unknown.
    public func habit(_ kind: CopyKind) -> Habit? {
        let key = learnedKey(kind)
        return Self.habits.lock.withLock { Self.habits.byEndpoint[key] }
    }

    /// Forgets what was learned (for tests that point one process at several servers).
    public static func forgetAll() {
        habits.lock.withLock { habits.byEndpoint.removeAll() }
    }

    private func learn(_ habit: Habit, _ kind: CopyKind) {
        let key = learnedKey(kind)
        Self.habits.lock.withLock { Self.habits.byEndpoint[key] = habit }
    }

    /// Runs `copy`, which copies `source` onto `destination`, and makes sure the destination
    /// ends up with the source's tags. `tagCount` is the source's `x-amz-tagging-count` from
    /// its HEAD: 0 means no tags and costs nothing; nil (unknown, e.g. from a listing) is
    /// treated as "may have tags" only while the endpoint's habit is not known. Returns true
    /// when the server dropped the tags and they were put back.
    @discardableResult
    public func copy(from source: (bucket: String, key: String), to destination: (bucket: String, key: String),
                     tagCount: Int?, kind: CopyKind, _ copy: () throws -> Void) throws -> Bool {
        let habit = habit(kind)
        // An unknown count while the habit is unknown costs one GET ?tagging per copy until a
        // tagged object teaches pail the server's habit: the price of not losing tags.
        if tagCount == 0 || habit == .keeps {
            try copy()
            return false
        }
        let tags: [(String, String)]
        do {
            tags = try client.getObjectTagSet(bucket: source.bucket, key: source.key)
        } catch {
            let key = TerminalSafe.escape(source.key)
            throw S3Error.local("cannot read the tags of \(key), so the copy could lose them: \(error)")
        }
        if tags.isEmpty {
            try copy()
            return false
        }
        try copy()
        if habit == nil {
            let after = (try? client.getObjectTagSet(bucket: destination.bucket, key: destination.key)) ?? []
            if Self.sameTags(after, tags) {
                learn(.keeps, kind)
                return false
            }
            learn(.drops, kind)
        }
        do {
            try client.putObjectTagging(bucket: destination.bucket, key: destination.key, tags: tags)
        } catch {
            let list = tags.map { TerminalSafe.escape($0.0) + "=" + TerminalSafe.escape($0.1) }.joined(separator: ", ")
            let key = TerminalSafe.escape(destination.key)
            throw S3Error.local("the server dropped the tags of \(key) in the copy and putting them back failed "
                                + "(\(error)); its tags were: \(list)")
        }
        return true
    }

    /// Tag sets are equal as sets of byte-wise (key, value) pairs: the server may reorder them,
    /// and keys are bytes (NFC and NFD spellings are different tags).
    static func sameTags(_ a: [(String, String)], _ b: [(String, String)]) -> Bool {
        func normal(_ t: [(String, String)]) -> [[UInt8]] {
            t.map { Array($0.0.utf8) + [0] + Array($0.1.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        return normal(a) == normal(b)
    }
}
