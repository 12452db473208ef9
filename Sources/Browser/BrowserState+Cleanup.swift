import Operations

/// The tree's keys that open the cleanup pages: find, duplicates, stale static files, and
/// incomplete uploads, each on the prefix (or bucket) under the cursor, or the one it is in.
extension BrowserState {
    /// The prefix a cleanup page works below: the prefix or bucket under the cursor, else
    /// the one the cursor is in.
    func cleanupLocation() -> (bucket: String, prefix: String)? {
        if let e = cursorEntry, e.isPrefix { return (e.bucket, S3URI.boundedPrefix(e.key)) }
        return uploadLocation()
    }

    mutating func startCleanup(_ action: Action) -> PageOutcome? {
        guard [.findObjects, .duplicates, .staleStatic, .uploads].contains(action) else { return nil }
        guard let loc = cleanupLocation() else {
            setStatus("move to a bucket or prefix first", error: false)
            return .stay
        }
        switch action {
        case .findObjects:
            return .open(FindPromptPage(bucket: loc.bucket, prefix: loc.prefix))
        case .duplicates:
            let id = ask(.cleanup)
            return .open(DuplicatesPage(list: CleanupList(bucket: loc.bucket, prefix: loc.prefix), request: id),
                         [.cleanupScan(id: id, bucket: loc.bucket, prefix: loc.prefix, .duplicates)])
        case .staleStatic:
            let id = ask(.cleanup)
            return .open(StaleStaticPage(list: CleanupList(bucket: loc.bucket, prefix: loc.prefix), request: id),
                         [.cleanupScan(id: id, bucket: loc.bucket, prefix: loc.prefix, .staleStatic)])
        default:
            // Uploads are the bucket's: a prefix the cursor happens to be on would hide some.
            let id = ask(.uploads)
            return .open(UploadsPage(bucket: loc.bucket, prefix: "", request: id),
                         [.listUploads(id: id, bucket: loc.bucket, prefix: "")])
        }
    }
}

extension Action {
    public static let findObjects: Action = "findObjects"
    public static let duplicates: Action = "duplicates"
    public static let staleStatic: Action = "staleStatic"
    public static let uploads: Action = "uploads"
}
