import Browser
import Foundation
import Operations
import S3

/// What the session needs to connect as another profile: the catalog (the profiles, and the
/// command line's options a switch keeps) and how a client is made from a configuration (the
/// real transport in pail, a scripted one in tests).
public struct ProfileSwitcher: Sendable {
    public var catalog: ProfileCatalog
    public var makeClient: @Sendable (ClientConfiguration) -> S3Client
    /// Where bookmarks are saved (pail's configuration file).
    public var bookmarks: BookmarkStore

    public init(catalog: ProfileCatalog, bookmarks: BookmarkStore,
                makeClient: @escaping @Sendable (ClientConfiguration) -> S3Client = { S3Client(config: $0) }) {
        self.catalog = catalog
        self.bookmarks = bookmarks
        self.makeClient = makeClient
    }
}
