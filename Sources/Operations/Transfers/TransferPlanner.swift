import Foundation
import S3

/// The one way downloads and copies of S3 objects are planned, for `pail cp` and for the
/// browser's marked objects and prefixes alike, so the two cannot drift: the same refusals
/// (unsafe names, a key that is both a file and a folder, a repeated key, a key outside its
/// prefix, a copy onto itself), in key order (UTF-8 bytes), a listed page at a time.
///
/// What is planned is only where each object goes; how it is written (an existing file kept
/// or replaced, a gzip-encoded object decoded, the folders opened without following links by
/// `SafeDestination`) is the engine's, given per run (`TransferOptions.overwrite`, `.gunzip`).
public struct TransferPlanner {
    public let client: S3Client
    public let bucket: String
    public let cancel: CancellationFlag

    public init(client: S3Client, bucket: String, cancel: CancellationFlag = CancellationFlag()) {
        self.client = client
        self.bucket = bucket
        self.cancel = cancel
    }

    /// One thing to transfer: an object (read by HEAD) or everything below a prefix (listed,
    /// below `S3URI.boundedPrefix`), and the start of its keys that is dropped to name what it
    /// becomes (the rest of each key is its path below the destination).
    public struct Source: Sendable, Equatable {
        public var key: String
        public var isPrefix: Bool
        public var strip: String
        public init(key: String, isPrefix: Bool, strip: String) {
            self.key = key
            self.isPrefix = isPrefix
            self.strip = strip
        }

        /// An object that keeps its own name: `media/a.jpg` becomes `a.jpg`.
        public static func object(_ key: String) -> Source {
            Source(key: key, isPrefix: false, strip: S3URI.parent(of: key))
        }

        /// A prefix that keeps its last segment, as a marked folder in the browser and
        /// `cp -r s3://b/media/2023 s3://x/` do: `media/2023/` gives `2023/...`.
        public static func named(_ prefix: String) -> Source {
            Source(key: prefix, isPrefix: true, strip: S3URI.parent(of: S3URI.boundedPrefix(prefix)))
        }

        /// A prefix whose contents land in the destination itself: `media/2023/x` gives `x`.
        public static func contents(_ prefix: String) -> Source {
            Source(key: prefix, isPrefix: true, strip: S3URI.boundedPrefix(prefix))
        }
    }

    /// `pail cp [-r] s3://bucket/KEY FOLDER/`: one object by its name, or with `-r` what is
    /// under KEY, landing in the folder itself.
    public static func download(key: String, recursive: Bool) -> Source {
        recursive ? .contents(key) : .object(key)
    }

    /// `pail cp [-r] s3://bucket/KEY s3://other/DEST`: into a prefix an object keeps its name
    /// and a prefix without a trailing slash its last segment (as a folder's on upload); onto
    /// a key (`intoPrefix` false) the object takes that key.
    public static func copy(key: String, recursive: Bool, intoPrefix: Bool) -> Source {
        if recursive { return key.isEmpty || key.hasByteSuffix("/") ? .contents(key) : .named(key) }
        return intoPrefix ? .object(key) : Source(key: key, isPrefix: false, strip: key)
    }

    /// What the browser's marks stand for: keys by name first, then prefixes by name.
    public static func marked(keys: [String], prefixes: [String]) -> [Source] {
        keys.map(Source.object) + prefixes.map(Source.named)
    }

    public typealias DownloadPlan = DownloadPlanner.Plan
    public typealias CopyPlan = (targets: [TransferEngine.CopyTarget], refused: [(key: String, reason: String)])

    /// The objects of `source`, a page at a time: one HEAD, or the listing's pages.
    func objects(_ source: Source, _ page: ([ObjectSummary]) throws -> Void) throws {
        if !source.isPrefix {
            let head = try client.headObject(bucket: bucket, key: source.key)
            return try page([ObjectSummary(key: source.key, size: head.size, lastModified: head.lastModified,
                                           etag: head.etag, storageClass: nil)])
        }
        try withoutActuallyEscaping(page) { page in
            try RecursiveLister.feedingObjectRequests(client: client)
                .list(bucket: bucket, prefix: S3URI.boundedPrefix(source.key), cancel: cancel, emit: page)
        }
    }

    /// Downloads of `sources` into the folder `destination`: each listed page is planned and
    /// handed to `each` while the next is listed (`DownloadPlanner`: memory bounded by a key's
    /// length, not the listing's).
    public func downloads(_ sources: [Source], into destination: String,
                          each: (DownloadPlan) throws -> Void) throws {
        for source in sources where !cancel.isCancelled {
            let planner = DownloadPlanner(prefix: source.strip, destination: destination)
            try objects(source) { try each(planner.add($0)) }
            try each(planner.finish())
        }
    }

    /// Server-side copies of `sources` to `destinationBucket`, each object at
    /// `destinationPrefix` + the rest of its key; a page at a time, as `downloads`.
    public func copies(_ sources: [Source], to destinationBucket: String, prefix destinationPrefix: String,
                       each: (CopyPlan) throws -> Void) throws {
        for source in sources where !cancel.isCancelled {
            try objects(source) { objects in
                try each(TransferEngine.planCopy(objects: objects, prefix: source.strip, sourceBucket: bucket,
                                                 destinationBucket: destinationBucket,
                                                 destinationPrefix: destinationPrefix))
            }
        }
    }

    /// Every plan of `downloads` gathered (the browser asks about existing files before
    /// anything is queued, so it holds the batch).
    public func allDownloads(_ sources: [Source], into destination: String) throws -> DownloadPlan {
        var all: DownloadPlan = ([], [])
        try downloads(sources, into: destination) { all.targets += $0.targets; all.refused += $0.refused }
        return all
    }

    /// Every plan of `copies` gathered.
    public func allCopies(_ sources: [Source], to destinationBucket: String, prefix destinationPrefix: String) throws
        -> CopyPlan {
        var all: CopyPlan = ([], [])
        try copies(sources, to: destinationBucket, prefix: destinationPrefix) {
            all.targets += $0.targets
            all.refused += $0.refused
        }
        return all
    }

    /// The planned downloads whose file is already there: the browser asks before replacing
    /// them, `cp` keeps them unless `--overwrite` (the engine checks again as it writes).
    public static func existing(_ targets: [TransferEngine.DownloadTarget]) -> [TransferEngine.DownloadTarget] {
        targets.filter { FileManager.default.fileExists(atPath: $0.local) }
    }
}
