import Foundation

/// Why an image cannot be shown, as the one line the user reads.
public struct ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The object is over the byte limit: offer a download instead.
        case tooLarge
        /// The header claims more pixels than pail decodes.
        case tooManyPixels
        /// Not one of the formats pail shows (or not an image at all).
        case unsupported
        /// A format pail shows, but gdk-pixbuf has no loader for it on this machine.
        case noLoader
        /// The bytes do not decode: corrupt, cut short or hostile.
        case corrupt
        /// The caller's cancel check said stop (the cursor moved on).
        case cancelled
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
