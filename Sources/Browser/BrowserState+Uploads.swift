import Foundation

/// The incomplete multipart uploads of a bucket, counted once when it is opened: stored and
/// billed, in no listing of objects, so the title says so without M (nothing when there are
/// none, nothing but a details line when the server cannot list them).
extension BrowserState {
    /// The count asked once per bucket, after its first listing: one page of uploads, off the
    /// UI thread; the uploads page (M) lists them all and replaces it.
    mutating func countUploadsOnce(_ id: NodeID) -> [BrowserEffect] {
        guard !id.isBucketList, id.prefix.isEmpty, uploadTotals[id.bucket] == nil,
              uploadsCountAsked.insert(id.bucket).inserted else { return [] }
        return [.countUploads(id: ask(.uploadCount), bucket: id.bucket)]
    }

    mutating func receiveUploadCount(_ bucket: String, _ result: Result<UploadTotal, BrowserError>) {
        // Only what this state asked (a profile switch starts afresh).
        guard uploadsCountAsked.contains(bucket) else { return }
        switch result {
        case .success(let total):
            // The uploads page may have listed them all meanwhile: its full count stands.
            if uploadTotals[bucket] == nil { uploadTotals[bucket] = total }
        case .failure(let e):
            if uploadTotals[bucket] == nil { uploadTotals[bucket] = UploadTotal(count: 0, bytes: 0, error: e.message) }
        }
    }

    /// The title's note for the bucket shown, in at most `width` columns (shorter, then none,
    /// rather than pushing the path out): nil when it has none or they could not be counted.
    func uploadsTitleNote(fitting width: Int) -> String? {
        let location = currentLocation
        guard !location.isBucketList, let u = uploadTotals[location.bucket], u.error == nil, u.count > 0 else {
            return nil
        }
        let short = "  · " + Formatting.count(u.count) + (u.atLeast ? "+" : "") + " uploads (M)"
        return ["  · " + u.text + " (M)", short].first { DisplayWidth.of($0) <= width }
    }
}
