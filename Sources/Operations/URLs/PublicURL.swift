import Foundation
import S3

/// A public URL and what named its host (`the CDN domain cdn.example.com (cdn_domain in ...)`).
public struct PublicURL: Sendable, Equatable {
    public var url: String
    public var source: String
}
