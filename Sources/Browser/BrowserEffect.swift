import Foundation
import Operations

/// What the browser asks the outside world to do.
public enum BrowserEffect: Equatable, Sendable {
    case listBuckets
    case list(node: NodeID, token: Int)
    case cancelListing(token: Int)
    case head(id: RequestID, bucket: String, key: String)
    /// Post `event` back after `seconds` (debouncing the details pane).
    case timer(seconds: Double, event: TimerEvent)
    case measure(id: RequestID, node: NodeID)
    case cancelMeasure(node: NodeID)
    case buildURLs(id: RequestID, bucket: String, key: String)
    case presign(id: RequestID, bucket: String, key: String, lifetime: String)
    case checkPublicURL(id: RequestID, bucket: String, key: String)
    /// Put text on the clipboard (OSC 52 through the terminal, and a local tool if any).
    case copy(text: String)
    case planDelete(id: RequestID, bucket: String, keys: [String], prefixes: [String])
    case executeDelete(id: RequestID, planID: Int)
    case discardPlan(planID: Int)
    case planEdit(id: RequestID, bucket: String, keys: [String], prefixes: [String], HeaderChanges)
    case executeEdit(id: RequestID, planID: Int)
    case retryEdit(id: RequestID, planID: Int)
    case audit(id: RequestID, bucket: String, prefix: String)
    case cancelAudit
    case completePath(id: RequestID, String)
    case upload(id: RequestID, paths: [String], bucket: String, prefix: String)
    /// `gunzip`: objects stored gzip-encoded are written decoded (the prompt's ^G, `cp --gunzip`).
    case download(id: RequestID, bucket: String, keys: [String], prefixes: [String], destination: String,
                  gunzip: Bool = false)
    /// Server-side copies; prefixes keep their own name under the destination prefix.
    case copyObjects(id: RequestID, bucket: String, keys: [String], prefixes: [String], toBucket: String,
                     toPrefix: String)
    /// Answer to downloadConflicts: overwrite (true) or skip (false) existing files, answered
    /// by `transfersQueued`; nil cancels (no answer, no id).
    case resolveConflicts(id: RequestID?, batchID: Int, overwrite: Bool?)
    case cancelTransfer(id: Int)
    case listVersions(id: RequestID, bucket: String, key: String)
    case preview(id: RequestID, bucket: String, key: String)
    case deleteVersion(id: RequestID, bucket: String, key: String, versionId: String)
    case restoreVersion(id: RequestID, bucket: String, key: String, versionId: String)
    /// A recursive listing below `prefix` that keeps what `scan` looks for, found page by page.
    case cleanupScan(id: RequestID, bucket: String, prefix: String, CleanupScan)
    case cancelCleanupScan(id: RequestID)
    case listUploads(id: RequestID, bucket: String, prefix: String)
    /// Aborts the uploads; answered by `operationFinished`.
    case abortUploads(id: RequestID, bucket: String, uploads: [UploadRow])
    case quit
    case suspend
    /// HEAD for the header columns of one row on screen.
    case headColumns(id: RequestID, bucket: String, key: String)
    /// Rows scrolled away: their column HEADs not sent yet are dropped (already closed).
    case cancelHeadColumns(ids: [RequestID])
    /// Every section of a bucket's settings, as `pail bucket show` reads them.
    case readBucket(id: RequestID, bucket: String)
    /// An unsigned HEAD on the object's public URL, for the details pane's "public?" line. No
    /// request id: a CDN that does not answer must not hold `[busy]` (its line says "checking").
    case probePublic(id: RequestID, bucket: String, key: String)
    case listProfiles(id: RequestID)
    /// Connect as the profile `name`, off the UI thread; answered by `profileSwitched`.
    case switchProfile(id: RequestID, name: String)
    case saveBookmark(id: RequestID, name: String, uri: String)
    /// One delimiter listing of `prefix` (bounded), answered by `prefixCompletions`.
    case completePrefix(id: RequestID, bucket: String, prefix: String)
    /// Which upload header rules of the configuration file apply to `bucket`.
    case describeUploadRules(bucket: String)
    /// Fetch (or take from the cache), decode and draw an image to fit `columns` × `rows`.
    case showImage(id: RequestID, bucket: String, key: String, columns: Int, rows: Int)
    /// The image page closed or moved on: stop fetching and decoding `id` (it still answers).
    case cancelImage(id: RequestID)
    /// Count a bucket's incomplete multipart uploads: one page of them, and their parts when few.
    /// No request id: a note in the title, which does not hold [busy] (as the Public? probe).
    case countUploads(id: RequestID, bucket: String)
    /// Invalidates what a header edit changed on its bucket's CDN; answered by `invalidated`.
    case invalidate(id: RequestID, InvalidationOffer)
}
