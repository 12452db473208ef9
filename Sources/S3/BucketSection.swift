import Foundation

/// A part of a bucket's settings, each its own subresource (`?cors`, `?policy`, ...).
public enum BucketSection: String, CaseIterable, Sendable {
    case region, versioning, ownership, encryption
    case publicAccessBlock = "public-access-block"
    case policy, cors, lifecycle, website, tags

    /// What `pail bucket edit` takes (versioning goes through --enable/--suspend).
    public static let editable: [BucketSection] = [.cors, .lifecycle, .policy, .website, .tags]

    public var query: String {
        switch self {
        case .region: return "location"
        case .versioning: return "versioning"
        case .ownership: return "ownershipControls"
        case .encryption: return "encryption"
        case .publicAccessBlock: return "publicAccessBlock"
        case .policy: return "policy"
        case .cors: return "cors"
        case .lifecycle: return "lifecycle"
        case .website: return "website"
        case .tags: return "tagging"
        }
    }

    public var title: String {
        switch self {
        case .region: return "region"
        case .versioning: return "versioning"
        case .ownership: return "object ownership"
        case .encryption: return "default encryption"
        case .publicAccessBlock: return "public access block"
        case .policy: return "bucket policy"
        case .cors: return "CORS"
        case .lifecycle: return "lifecycle"
        case .website: return "website"
        case .tags: return "tags"
        }
    }

    /// The error codes that mean "this bucket has none" rather than a failure.
    public var notSetCodes: Set<String> {
        switch self {
        case .region, .versioning: return []
        case .ownership: return ["OwnershipControlsNotFoundError"]
        case .encryption: return ["ServerSideEncryptionConfigurationNotFoundError"]
        case .publicAccessBlock: return ["NoSuchPublicAccessBlockConfiguration"]
        case .policy: return ["NoSuchBucketPolicy"]
        case .cors: return ["NoSuchCORSConfiguration"]
        case .lifecycle: return ["NoSuchLifecycleConfiguration"]
        case .website: return ["NoSuchWebsiteConfiguration"]
        case .tags: return ["NoSuchTagSet"]
        }
    }

    /// Content-MD5 is required on these PUTs (and harmless on the others).
    public var needsContentMD5: Bool { [.cors, .lifecycle, .tags].contains(self) }
}
