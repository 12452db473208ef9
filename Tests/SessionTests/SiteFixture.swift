import Foundation
import S3
import TestSupport

/// A small bucket `site` as a scripted server holds it:
///
///     index.html            (text/html, Cache-Control public, max-age=60, meta owner=web)
///     media/a.jpg b.jpg c.jpg
///     media/2023/x.jpg y.jpg
///     static/
///
/// Listings answer by prefix and delimiter as S3 would; every other request is left to the
/// test (unscripted ones get 501 and stay in `requests`).
enum SiteFixture {
    static let objects: [S3Answers.Object] = [
        .init("index.html", size: 2048), .init("media/2023/x.jpg", size: 300), .init("media/2023/y.jpg", size: 400),
        .init("media/a.jpg", size: 100), .init("media/b.jpg", size: 150), .init("media/c.jpg", size: 200),
        .init("static/app.css", size: 50),
    ]

    /// The site's rules, added after any `t` already has (the first rule that matches answers).
    static func transport(_ t: ScriptedTransport = ScriptedTransport()) -> ScriptedTransport {
        t.on("GET", path: "/site", having: ["list-type"]) { r in listing(r) }
        t.on("HEAD", path: "/site/index.html") { _ in
            S3Answers.head(size: 2048, contentType: "text/html",
                           [("Cache-Control", "public, max-age=60"), ("x-amz-meta-owner", "web")])
        }
        t.on({ $0.method == "HEAD" && $0.path.hasBytePrefix("/site/media/") }) { r in
            let key = String(r.path.dropFirst("/site/".count))
            return .success(S3Answers.head(size: objects.first { $0.key == key }?.size ?? 0, contentType: "image/jpeg"))
        }
        return t
    }

    /// ListObjectsV2 over `objects`, honouring prefix and delimiter.
    static func listing(_ r: HTTPRequest) -> HTTPResponse {
        S3Answers.listObjectsV2(bucket: "site", answering: r, over: objects)
    }

    /// A configuration file with `text`, loaded as pail loads it.
    static func config(_ text: String) throws -> PailConfigFile {
        let dir = NSTemporaryDirectory() + "pail-session-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/config", atomically: true, encoding: .utf8)
        return PailConfigFile(path: dir + "/config", dir: dir)
    }

    /// A fresh empty folder.
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "pail-session-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

struct PailConfigFile {
    var path: String
    var dir: String
}

extension HTTPRequest {
    /// "GET /site?list-type=2&...": what a test compares.
    var line: String {
        let q = query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return "\(method) \(path)" + (q.isEmpty ? "" : "?" + q)
    }
}
