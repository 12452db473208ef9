import Foundation
import S3

// What to transfer: the sources, targets and copies the commands plan before anything runs.
extension TransferEngine {
    // MARK: Planning

    public struct UploadSource: Sendable {
        public var path: String
        public var key: String
        public var size: Int64
        /// The file's inode when it was planned: a file replaced since (by a link to another
        /// file, say) is refused before a byte of it is read.
        public var inode: UInt64?
    }

    /// Files (and, with `recursive`, folders) under `destination` (a key, or a prefix ending in "/").
    /// Drops what `UploadPlan` skips; callers that report skipped entries use it directly.
    public static func planUpload(paths: [String], bucket: String, destination: String,
                                  recursive: Bool) throws -> [UploadSource] {
        try UploadPlan.make(paths: paths, destination: destination, recursive: recursive).sources
    }

    public struct DownloadTarget: Sendable {
        public var key: String
        public var size: Int64
        public var etag: String
        /// `folder` + "/" + `name`, for messages and displays.
        public var local: String
        /// The folder the person named (trusted as given, links included) and the path below
        /// it that comes from the key: its folders are opened without following links.
        public var folder: String
        public var name: String
        /// A file at a path the person gave: its folder is the one they named.
        public init(key: String, size: Int64, etag: String, local: String) {
            let parent = (local as NSString).deletingLastPathComponent
            self.init(key: key, size: size, etag: etag, folder: parent.isEmpty ? "." : parent,
                      name: (local as NSString).lastPathComponent)
            self.local = local
        }
        public init(key: String, size: Int64, etag: String, folder: String, name: String) {
            self.key = key
            self.size = size
            self.etag = etag
            self.folder = folder
            self.name = name
            local = folder + "/" + name
        }
    }

    /// Local paths for keys below `prefix`, refusing (with a reason) every key that cannot be
    /// a safe path inside `destination` (issue: "../", absolute paths, file-and-folder clashes,
    /// names the file system cannot hold). The rest goes on.
    public static func planDownload(objects: [ObjectSummary], prefix: String, destination: String)
        -> (targets: [DownloadTarget], refused: [(key: String, reason: String)]) {
        var targets: [DownloadTarget] = []
        var refused: [(String, String)] = []
        let dest = (destination as NSString).standardizingPath
        // Relative paths are compared as bytes, as the file system and S3 compare them.
        var folders = Set<ObjectKey>()
        var files = Set<ObjectKey>()
        var candidates: [(ObjectSummary, String)] = []
        for o in objects {
            guard o.key.hasBytePrefix(prefix) else {
                refused.append((o.key, "it is not below \(prefix) (the listing returned a key outside the prefix)"))
                continue
            }
            let relative = o.key.droppingBytePrefix(prefix)
            if relative.isEmpty || relative.utf8.last == UInt8(ascii: "/") { continue }  // folder markers
            if let reason = unsafeReason(relative) {
                refused.append((o.key, reason))
                continue
            }
            candidates.append((o, relative))
            files.insert(ObjectKey(relative))
            var parts = relative.byteSegments().dropLast()
            while !parts.isEmpty {
                folders.insert(ObjectKey(parts.joined(separator: "/")))
                parts = parts.dropLast()
            }
        }
        var planned = Set<ObjectKey>()
        for (o, relative) in candidates {
            if folders.contains(ObjectKey(relative)) {
                refused.append((o.key, "it is both a file and a folder (other keys continue below \(relative)/)"))
                continue
            }
            // A listing that repeats a key would otherwise download it twice onto one file
            // and count two downloads.
            guard planned.insert(ObjectKey(relative)).inserted else {
                refused.append((o.key, "the listing returned this key more than once; it is downloaded once"))
                continue
            }
            targets.append(DownloadTarget(key: o.key, size: o.size, etag: o.etag, folder: dest, name: relative))
        }
        return (targets, refused)
    }

    static func unsafeReason(_ relative: String) -> String? {
        if relative.hasBytePrefix("/") { return "an absolute path would land outside the destination" }
        let parts = relative.byteSegments()
        for p in parts {
            if p == ".." { return "\"..\" would land outside the destination" }
            if p == "." { return "\".\" is not a file name" }
            if p.isEmpty { return "an empty path segment (\"//\") is not a file name" }
            if p.utf8.count > 255 { return "a name longer than 255 bytes does not fit the file system" }
            if p.utf8.contains(0) { return "a NUL byte cannot be in a file name" }
        }
        return nil
    }

    public struct CopyTarget: Sendable {
        public var sourceKey: String
        public var size: Int64
        public var etag: String
        public var destinationKey: String
        public init(sourceKey: String, size: Int64, etag: String, destinationKey: String) {
            self.sourceKey = sourceKey
            self.size = size
            self.etag = etag
            self.destinationKey = destinationKey
        }
    }

    /// Copies of `objects` (all below `prefix`) to `destinationPrefix` + the rest of each key.
    /// A copy onto itself is refused with its reason: header edits do that, keeping the ACL.
    public static func planCopy(objects: [ObjectSummary], prefix: String, sourceBucket: String,
                                destinationBucket: String, destinationPrefix: String)
        -> (targets: [CopyTarget], refused: [(key: String, reason: String)]) {
        var targets: [CopyTarget] = []
        var refused: [(String, String)] = []
        for o in objects {
            guard o.key.hasBytePrefix(prefix) else {
                refused.append((o.key, "it is not below \(prefix) (the listing returned a key outside the prefix)"))
                continue
            }
            let destination = destinationPrefix + o.key.droppingBytePrefix(prefix)
            if sourceBucket == destinationBucket && o.key.bytesEqual(destination) {
                refused.append((o.key, "it would be copied onto itself; pail set-headers edits an object in place"))
            } else {
                targets.append(CopyTarget(sourceKey: o.key, size: o.size, etag: o.etag, destinationKey: destination))
            }
        }
        return (targets, refused)
    }
}
