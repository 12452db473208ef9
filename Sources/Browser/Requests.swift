/// What an open request waits for; only transfer batches are told apart (quitting cancels
/// them), the rest is for reading a state in a debugger or a test.
public enum RequestKind: Sendable, Equatable {
    case head, measure, urls, presign, publicCheck, plan, operation, audit, completion, transferBatch, versions, preview
    case columns
    case bucket
    case cleanup, uploads
    case profiles, bookmark
    case image
    case bucketList
    case invalidation
    case publicProbe, uploadCount
}

/// Busy is derived, not counted: every effect that awaits an answer opens a request id, the
/// event that answers it closes it, and the browser is busy while any is open (or a listing
/// runs, whose token is its id, or a transfer moves).
extension BrowserState {
    /// Opens a request for an effect about to be returned.
    mutating func ask(_ kind: RequestKind) -> RequestID {
        let id = RequestID(nextRequest)
        nextRequest += 1
        openRequests[id] = kind
        return id
    }

    /// Whether `id` still waits for its answer (a page's loading mark).
    public func isOpen(_ id: RequestID?) -> Bool { id.map { openRequests[$0] != nil } ?? false }

    /// Requests asked for but not answered yet.
    public var openRequestIDs: Set<RequestID> { Set(openRequests.keys) }
}

extension BrowserEvent {
    /// The request this event answers, and so closes; nil for keys, pages of a listing and
    /// progress (a measure's last count answers it).
    public var answers: RequestID? {
        switch self {
        case .headed(let id, _, _, _), .urlsBuilt(let id, _, _, _), .presignedReady(let id, _),
             .publicChecked(let id, _),
             .deletePlanned(let id, _), .editPlanned(let id, _), .operationFinished(let id, _, _),
             .auditFinished(let id, _), .pathCompletions(let id, _, _), .versionsListed(let id, _, _, _),
             .previewed(let id, _, _, _), .transfersQueued(let id):
            return id
        case .columnsHeaded(let id, _, _, _): return id
        case .bucketRead(let id, _, _): return id
        case .cleanupFinished(let id, _), .uploadsListed(let id, _, _): return id
        case .profilesListed(let id, _), .profileSwitched(let id, _, _), .bookmarkSaved(let id, _, _, _): return id
        case .prefixCompletions(let id, _): return id
        case .imageShown(let id, _): return id
        case .invalidated(let id, _): return id
        case .publicProbed(let id, _, _, _), .uploadsCounted(let id, _, _): return id
        case .measured(let id, _, let m): return m.finished ? id : nil
        default: return nil
        }
    }
}

extension BrowserEffect {
    /// The request this effect opens, if it awaits an answer.
    public var request: RequestID? {
        switch self {
        case .head(let id, _, _), .measure(let id, _), .buildURLs(let id, _, _), .presign(let id, _, _, _),
             .checkPublicURL(let id, _, _), .planDelete(let id, _, _, _), .executeDelete(let id, _),
             .planEdit(let id, _, _, _, _), .executeEdit(let id, _), .retryEdit(let id, _), .audit(let id, _, _),
             .completePath(let id, _), .upload(let id, _, _, _), .download(let id, _, _, _, _, _),
             .copyObjects(let id, _, _, _, _, _), .listVersions(let id, _, _), .preview(let id, _, _),
             .deleteVersion(let id, _, _, _), .restoreVersion(let id, _, _, _):
            return id
        case .listProfiles(let id), .switchProfile(let id, _), .saveBookmark(let id, _, _): return id
        case .resolveConflicts(let id, _, _): return id
        case .headColumns(let id, _, _): return id
        case .readBucket(let id, _): return id
        case .cleanupScan(let id, _, _, _), .listUploads(let id, _, _), .abortUploads(let id, _, _): return id
        case .completePrefix(let id, _, _): return id
        case .showImage(let id, _, _, _, _): return id
        case .invalidate(let id, _): return id
        case .probePublic(let id, _, _), .countUploads(let id, _): return id
        default: return nil
        }
    }
}
