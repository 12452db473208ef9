/// Content-Type from a file name: the types a web site's static and media files use.
public enum ContentTypes {
    static let table: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8", "json": "application/json", "map": "application/json",
        "xml": "application/xml", "txt": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8",
        "md": "text/markdown; charset=utf-8", "svg": "image/svg+xml", "png": "image/png",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "avif": "image/avif", "ico": "image/vnd.microsoft.icon", "bmp": "image/bmp", "tif": "image/tiff",
        "tiff": "image/tiff", "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "eot": "application/vnd.ms-fontobject", "pdf": "application/pdf", "zip": "application/zip",
        "gz": "application/gzip", "tar": "application/x-tar", "mp4": "video/mp4", "webm": "video/webm",
        "mov": "video/quicktime", "mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav",
        "wasm": "application/wasm", "webmanifest": "application/manifest+json", "rss": "application/rss+xml",
        "atom": "application/atom+xml", "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]

    public static let fallback = "application/octet-stream"

    public static func guess(forName name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return fallback }
        return table[base[base.index(after: dot)...].lowercased()] ?? fallback
    }

    /// The media type of a Content-Type, lowercased and without its parameters
    /// (`Text/HTML; charset=utf-8` is `text/html`); "" for none.
    public static func mediaType(_ contentType: String?) -> String {
        let type = (contentType ?? "").split(separator: ";").first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Whether a type is text worth gzip-compressing (`--gzip`).
    public static func isCompressible(_ type: String) -> Bool {
        let t = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? type
        return t.hasPrefix("text/")
            || ["application/json", "application/xml", "image/svg+xml", "application/javascript",
                "application/manifest+json", "application/wasm"].contains(t)
    }
}
