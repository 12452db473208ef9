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

/// Names one request the browser waits on, from the effect that asks to the event that
/// answers; the busy marker and the pages' loading marks are the set of open ones.
public struct RequestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Int
    public init(_ value: Int) { self.value = value }
    public static func < (a: RequestID, b: RequestID) -> Bool { a.value < b.value }
    public var description: String { "#\(value)" }
}

public enum TimerEvent: Equatable, Sendable {
    case head(bucket: String, key: String)
    case expireStatus(serial: Int)

    public var event: BrowserEvent {
        switch self {
        case .head(let b, let k): return .headTimerFired(bucket: b, key: k)
        case .expireStatus(let n): return .statusExpired(serial: n)
        }
    }
}

/// An error as the browser shows it: one line, already written for a person.
public struct BrowserError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// One line of the details pane: a header name and its value as shown.
public struct DetailRow: Equatable, Sendable {
    public var name: String
    public var value: String
    /// The header exactly as the object stores it, for the header editor's "start from the
    /// current value": nil for lines that are no header (Size) and for a header the object
    /// lacks, whatever `value` shows then ("(none)"). Display text never goes into a request.
    public var stored: StoredHeader?
    /// A header the object does not have (shown as such, never as a value).
    public var isAbsent: Bool
    /// A value that is a problem (an Expires in the past): drawn as a warning.
    public var isWarning = false
    public init(_ name: String, _ value: String, stored: StoredHeader? = nil) {
        self.name = name
        self.value = value
        self.stored = stored
        isAbsent = false
    }

    /// The row of a header the object lacks.
    public static func absent(_ name: String) -> DetailRow {
        var row = DetailRow(name, "")
        row.isAbsent = true
        return row
    }
}

/// A header as stored: `Cache-Control`, `Content-Type`, ... or `x-amz-meta-NAME` for metadata.
public struct StoredHeader: Equatable, Sendable {
    public static let metadataPrefix = "x-amz-meta-"
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public enum DetailState: Equatable, Sendable {
    case loading
    case loaded([DetailRow])
    case failed(String)
}

/// One line of the URL menu: a form, its URL (or why there is none), and a warning.
public struct URLChoice: Equatable, Sendable {
    public var label: String
    public var url: String?
    public var note: String?
    /// Choosing this line asks for a presign lifetime instead of copying.
    public var asksLifetime: Bool
    public var checksPublicURL: Bool

    public init(label: String, url: String?, note: String? = nil, asksLifetime: Bool = false,
                checksPublicURL: Bool = false) {
        self.label = label
        self.url = url
        self.note = note
        self.asksLifetime = asksLifetime
        self.checksPublicURL = checksPublicURL
    }
}

/// What the public (CDN) URL serves next to what the object stores.
public struct PublicCheck: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var name: String
        public var served: String
        public var stored: String
        /// Only headers that the object stores are compared.
        public var differs: Bool
        public init(name: String, served: String, stored: String, differs: Bool) {
            self.name = name
            self.served = served
            self.stored = stored
            self.differs = differs
        }
    }
    public var url: String
    public var status: Int
    public var lines: [Line]
    public init(url: String, status: Int, lines: [Line]) {
        self.url = url
        self.status = status
        self.lines = lines
    }
}

// MARK: Operations on marked objects and prefixes (delete, edit, audit, transfers)

/// A delete plan as the confirmation shows it; the runner keeps the plan itself under `planID`.
public struct DeletePreview: Equatable, Sendable {
    public var planID: Int
    public var bucket: String
    public var count: Int
    public var lines: [ReportLine]
    /// What the person must type (a prefix or the count); nil when "y" is enough.
    public var confirmWord: String?
    public init(planID: Int, bucket: String, count: Int, lines: [ReportLine], confirmWord: String?) {
        self.planID = planID
        self.bucket = bucket
        self.count = count
        self.lines = lines
        self.confirmWord = confirmWord
    }
}

public struct EditPreview: Equatable, Sendable {
    public var planID: Int
    public var total: Int
    public var changing: Int
    public var lines: [ReportLine]
    public init(planID: Int, total: Int, changing: Int, lines: [ReportLine]) {
        self.planID = planID
        self.total = total
        self.changing = changing
        self.lines = lines
    }
}

/// One line of a report or a question, with its kind: the kind, never the words, says how
/// it is drawn (a key named "note.txt" in a failure is an error line, not a note).
public struct ReportLine: Equatable, Sendable, ExpressibleByStringInterpolation {
    public enum Kind: Sendable, Equatable {
        case plain, error, warning, note

        var style: CellStyle {
            switch self {
            case .plain: return .normal
            case .error, .warning: return .error
            case .note: return .notice
            }
        }
    }
    public var text: String
    public var kind: Kind
    public init(_ text: String, kind: Kind = .plain) {
        self.text = text
        self.kind = kind
    }
    public init(stringLiteral value: String) { self.init(value) }
}

/// The result panel after an operation; `retryID` is set when failures can be retried.
public struct OperationReport: Equatable, Sendable {
    public var title: String
    public var lines: [ReportLine]
    public var failed: Int
    public var retryID: Int?
    public init(title: String, lines: [ReportLine], failed: Int, retryID: Int? = nil) {
        self.title = title
        self.lines = lines
        self.failed = failed
        self.retryID = retryID
    }
    /// What a header edit changed, when its bucket has a CDN: the report offers to invalidate it.
    public var invalidation: InvalidationOffer?
}

/// One row of the header audit.
public struct AuditEntry: Equatable, Sendable {
    public var key: String
    public var size: Int64
    public var modified: Double
    public var contentType: String?
    public var cacheControl: String?
    public var contentEncoding: String?
    public var error: String?
    public init(key: String, size: Int64, modified: Double, contentType: String?, cacheControl: String?,
                contentEncoding: String?, error: String? = nil) {
        self.key = key
        self.size = size
        self.modified = modified
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.contentEncoding = contentEncoding
        self.error = error
    }
}

/// A transfer as the panel shows it.
public struct TransferRow: Equatable, Sendable {
    /// The engine's own states and directions (upload, download, copy within S3).
    public typealias State = TransferItem.State
    public typealias Direction = TransferItem.Direction
    public var id: Int
    public var direction: Direction
    /// The local path of a download; the destination `s3://` URI otherwise.
    public var name: String
    public var size: Int64
    public var transferred: Int64
    public var state: State
    /// Bytes per second over the last samples, and seconds left.
    public var rate: Double
    public init(id: Int, direction: Direction, name: String, size: Int64, transferred: Int64, state: State,
                rate: Double) {
        self.id = id
        self.direction = direction
        self.name = name
        self.size = size
        self.transferred = transferred
        self.state = state
        self.rate = rate
    }
    public var isActive: Bool { state == .queued || state == .running }
}

/// The start of an object, shown full screen; `content` is nil until it has arrived.
public struct PreviewView: Equatable, Sendable {
    public var bucket: String
    public var key: String
    public var content: ObjectPreview?
    public var error: String?
    public var scroll = 0
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }
}

public enum PathPurpose: Equatable, Sendable {
    case upload(bucket: String, prefix: String)
    case download(bucket: String, keys: [String], prefixes: [String])
    /// The destination is typed as `s3://bucket/prefix/`.
    case copy(bucket: String, keys: [String], prefixes: [String])
}

/// One version of an object, for the versions view.
public struct VersionRow: Equatable, Sendable {
    public var versionId: String
    public var isLatest: Bool
    public var isDeleteMarker: Bool
    public var size: Int64
    public var modified: Double
    public init(versionId: String, isLatest: Bool, isDeleteMarker: Bool, size: Int64, modified: Double) {
        self.versionId = versionId
        self.isLatest = isLatest
        self.isDeleteMarker = isDeleteMarker
        self.size = size
        self.modified = modified
    }
}

/// The versions of one object; `pending` is an action waiting for "y".
public struct VersionsView: Equatable, Sendable {
    public enum Pending: Equatable, Sendable { case delete, restore }
    public var bucket: String
    public var key: String
    public var rows: [VersionRow] = []
    public var loading = true
    public var selected = 0
    public var pending: Pending?
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }
}
