import Foundation
import S3

/// The record of a delete, as JSON Lines under `$XDG_STATE_HOME/pail/deletions` (mode 600),
/// written before the objects it names are deleted.
final class DeleteManifest {
    let path: String
    let bucket: String
    private let handle: FileHandle

    init(bucket: String, environment env: [String: String]) throws {
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        let dir = base + "/pail/deletions"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let stamp = Timestamps.formatISO8601(Date()).replacingOccurrences(of: ":", with: "")
        path = "\(dir)/\(stamp)-\(bucket)-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        self.bucket = bucket
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw S3Error.local("cannot write the deletion manifest \(path)")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func append(_ items: [DeletePlan.Item]) throws {
        var text = ""
        for item in items {
            var j = JSONWriter()
            j.field("bucket", bucket)
            j.field("key", item.key)
            j.field("size", item.size)
            j.field("etag", item.etag)
            j.field("last_modified", item.lastModified.map(Timestamps.formatISO8601))
            j.field("version_id", item.versionId)
            text += j.line
        }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw S3Error.local("cannot write the deletion manifest \(path): \(error.localizedDescription)")
        }
    }

    /// An empty manifest records nothing: it is removed.
    func discard() {
        try? handle.close()
        unlink(path)
    }
}
