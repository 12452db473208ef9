import S3

/// The headers an upload sets: given on the command line or in the browser, the rest
/// guessed (Content-Type from the file name).
public struct UploadHeaders: Sendable {
    public var contentType: String?
    public var cacheControl: String?
    public var contentEncoding: String?
    public var contentDisposition: String?
    public var contentLanguage: String?
    public var metadata: [(String, String)] = []
    public init() {}

    func headers(forKey key: String) -> [(String, String)] {
        var h: [(String, String)] = [("Content-Type", contentType ?? ContentTypes.guess(forName: key))]
        if let cacheControl { h.append(("Cache-Control", cacheControl)) }
        if let contentEncoding { h.append(("Content-Encoding", contentEncoding)) }
        if let contentDisposition { h.append(("Content-Disposition", contentDisposition)) }
        if let contentLanguage { h.append(("Content-Language", contentLanguage)) }
        for (k, v) in metadata { h.append(("x-amz-meta-\(k.lowercased())", v)) }
        return h
    }
}
