import Foundation
import S3

/// What happened to one object when an edit was applied.
public enum EditOutcome: Sendable, Equatable {
    /// Copied onto itself with the new headers; `tagsRestored`: the server dropped its tags
    /// in the copy and pail put them back.
    case changed(tagsRestored: Bool)
    /// Already right when it was read again.
    case skipped
    case failed(String)
}
