import Foundation

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
