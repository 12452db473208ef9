import Foundation

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

/// A Content-Type checked before it is sent, as Cache-Control is: well formed, and matching
/// the key's extension.
extension ContentTypes {
    /// Why `value` is not a media type (`type/subtype; name=value`), with the column; nil when it is.
    public static func problem(_ value: String) -> String? {
        let chars = Array(value)
        func isToken(_ c: Character) -> Bool {
            c.isASCII && (c.isLetter || c.isNumber || "!#$&-^_.+".contains(c))
        }
        var i = 0
        while i < chars.count && isToken(chars[i]) { i += 1 }
        if i == 0 { return "Content-Type: a type is missing at column 1 (text/css, image/png, ...)" }
        guard i < chars.count, chars[i] == "/" else {
            return "Content-Type: expected \"/\" at column \(i + 1) (type/subtype, like text/css)"
        }
        i += 1
        let sub = i
        while i < chars.count && isToken(chars[i]) { i += 1 }
        if i == sub { return "Content-Type: a subtype is missing at column \(i + 1)" }
        while i < chars.count {
            while i < chars.count && chars[i] == " " { i += 1 }
            guard i < chars.count else { break }
            guard chars[i] == ";" else {
                return "Content-Type: \"\(chars[i])\" at column \(i + 1) is not part of a media type"
            }
            i += 1
            while i < chars.count && chars[i] == " " { i += 1 }
            let p = i
            while i < chars.count && isToken(chars[i]) { i += 1 }
            guard i > p, i < chars.count, chars[i] == "=" else {
                return "Content-Type: a parameter needs name=value at column \(p + 1)"
            }
            i += 1
            if i < chars.count && chars[i] == "\"" {
                i += 1
                while i < chars.count && chars[i] != "\"" { i += 1 }
                guard i < chars.count else { return "Content-Type: a quoted parameter is not closed" }
                i += 1
            } else {
                let v = i
                while i < chars.count && isToken(chars[i]) { i += 1 }
                if i == v { return "Content-Type: a parameter value is missing at column \(i + 1)" }
            }
        }
        return nil
    }

    /// Types that name the same thing as the extension's own.
    static let typeAliases: [String: Set<String>] = [
        "text/javascript": ["application/javascript", "application/x-javascript"],
        "image/vnd.microsoft.icon": ["image/x-icon"],
        "application/xml": ["text/xml"],
        "application/gzip": ["application/x-gzip"],
    ]

    /// The type the extension of `key` calls for, when `value` is another one; nil when they
    /// agree or the extension says nothing (no extension, or one pail does not know).
    public static func mismatch(_ value: String, forKey key: String) -> String? {
        let expected = guess(forName: key)
        guard expected != fallback else { return nil }
        func base(_ t: String) -> String {
            String(t.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
        }
        let want = base(expected), got = base(value)
        if want == got || typeAliases[want]?.contains(got) == true { return nil }
        return want
    }
}
