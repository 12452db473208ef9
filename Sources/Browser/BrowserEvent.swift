import Foundation
import Operations

/// Everything that happens to the browser: keys, the terminal, and answers from workers.
/// Workers answer in pairs with the effects that asked (`list` → `listed`): an effect that
/// awaits an answer carries a `RequestID`, and its answer carries it back, which closes it.
/// The browser is busy while any is open.
public enum BrowserEvent: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    case bucketsListed(Result<[TreeChild], BrowserError>)
    /// One page of a listing; `token` ties it to the `list` effect that asked.
    case listed(node: NodeID, token: Int, prefixes: [String], objects: [ListedObject])
    case listingFinished(node: NodeID, token: Int, error: BrowserError?)
    case headed(id: RequestID, bucket: String, key: String, Result<[DetailRow], BrowserError>)
    case headTimerFired(bucket: String, key: String)
    /// A status message about finished work has been up long enough (`serial` names it).
    case statusExpired(serial: Int)
    case measured(id: RequestID, node: NodeID, MeasureState)
    case urlsBuilt(id: RequestID, bucket: String, key: String, [URLChoice])
    /// A presigned URL for a typed lifetime, or why it could not be made.
    case presignedReady(id: RequestID, Result<URLChoice, BrowserError>)
    case publicChecked(id: RequestID, Result<PublicCheck, BrowserError>)
    /// The copy went out; `via` names how (OSC 52, xclip, ...).
    case copied(text: String, via: String)
    /// A message for the status line (a malformed configuration file, say).
    case notice(String)
    case deletePlanned(id: RequestID, Result<DeletePreview, BrowserError>)
    case editPlanned(id: RequestID, Result<EditPreview, BrowserError>)
    /// Live progress of a delete or an edit, for the status line.
    case operationProgress(String)
    /// An operation ended: its report, and the listed levels to list again.
    case operationFinished(id: RequestID, OperationReport, refresh: [NodeID])
    /// Rows of the audit `id`: a superseded reading's rows are dropped.
    case auditRows(id: RequestID, [AuditEntry])
    case auditFinished(id: RequestID, error: BrowserError?)
    case pathCompletions(id: RequestID, input: String, candidates: [String])
    /// Existing local files a download would replace: ask before going on.
    case downloadConflicts(batchID: Int, count: Int, example: String)
    case transfersUpdated([TransferRow])
    /// An upload landed: list this level again.
    case uploaded(NodeID)
    case versionsListed(id: RequestID, bucket: String, key: String, Result<[VersionRow], BrowserError>)
    case previewed(id: RequestID, bucket: String, key: String, Result<ObjectPreview, BrowserError>)
    /// A requested upload or download batch is now in the transfer engine (or failed to plan).
    case transfersQueued(id: RequestID)
    /// The header columns of one object (`H`), or why they could not be read.
    case columnsHeaded(id: RequestID, bucket: String, key: String, Result<HeaderColumns, BrowserError>)
    /// A bucket's settings for the bucket page, section by section.
    case bucketRead(id: RequestID, bucket: String, Result<[BucketSectionState], BrowserError>)
    /// Whether the object under the cursor answers a HEAD without credentials.
    case publicProbed(id: RequestID, bucket: String, key: String, PublicAccess)
    /// Objects a find or a leftover finder found so far, and how many were listed (not an answer).
    case cleanupFound(id: RequestID, scanned: Int, rows: [CleanupRow])
    /// The scan ended (done, cancelled, or failed).
    case cleanupFinished(id: RequestID, error: BrowserError?)
    case uploadsListed(id: RequestID, bucket: String, Result<[UploadRow], BrowserError>)
    /// The profiles `P` lists, and which is in use.
    case profilesListed(id: RequestID, Result<ProfileList, BrowserError>)
    /// The session now talks as `name` (or could not, and still talks as before).
    case profileSwitched(id: RequestID, name: String, Result<ProfileSwitch, BrowserError>)
    /// A bookmark went into the configuration file, or why not.
    case bookmarkSaved(id: RequestID, name: String, uri: String, error: BrowserError?)
    /// The prefixes one delimiter listing found under a typed prefix (the jump prompt's Tab).
    case prefixCompletions(id: RequestID, Result<[String], BrowserError>)
    /// Existing objects an upload would replace: ask before going on (answered by `resolveConflicts`).
    case uploadConflicts(batchID: Int, count: Int, example: String)
    /// A batch of uploads or copies ended: what it did, for the status line.
    case transfersEnded(String, failed: Bool)
    /// The configuration file's upload header rules for a bucket, one line each.
    case uploadRulesDescribed(bucket: String, [String])
    /// An image page's picture, drawn for the pane it asked with, or why it cannot be shown.
    case imageShown(id: RequestID, Result<ImagePicture, BrowserError>)
    /// How many incomplete multipart uploads a bucket just opened holds (its first page of them).
    case uploadsCounted(id: RequestID, bucket: String, Result<UploadTotal, BrowserError>)
    /// A line of an invalidation under way (sent, waiting): for the report that asked.
    case invalidationProgress(id: RequestID, String)
    /// An invalidation ended: what it did (its ids), or why it failed.
    case invalidated(id: RequestID, Result<[String], BrowserError>)
}
