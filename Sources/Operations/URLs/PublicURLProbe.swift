import Foundation
import S3

/// A plain, unsigned HEAD on a public URL (a CDN or a public bucket): what visitors get. With
/// an `Origin` (the site's, or the CDN's own), it also shows what a browser decides about
/// CORS: fonts and modules loaded from another origin are blocked unless the answer carries
/// an `Access-Control-Allow-Origin` for it.
public enum PublicURLProbe {
    /// What one check found.
    public struct Result: Sendable {
        public var url: String
        /// The `Origin` sent, if any.
        public var origin: String?
        public var response: HTTPResponse

        public var status: Int { response.status }
        public var allowOrigin: String? { response.header("Access-Control-Allow-Origin") }
        public var vary: String? { response.header("Vary") }
        /// What the caches in front said: X-Cache (CloudFront), CF-Cache-Status (Cloudflare),
        /// X-Cache-Status, Age.
        public var cacheStatus: [(String, String)] {
            ["X-Cache", "CF-Cache-Status", "X-Cache-Status", "Age"].compactMap { n in response.header(n).map { (n, $0) }
            }
        }

        /// Whether a browser on `origin` may read the answer; nil when no origin was sent.
        public var corsAllowed: Bool? {
            guard let origin else { return nil }
            guard let allowed = allowOrigin?.trimmingCharacters(in: .whitespaces) else { return false }
            return allowed == "*" || allowed.lowercased() == origin.lowercased()
        }

        /// A specific origin allowed without `Vary: Origin`: a shared cache may hand this
        /// answer to a page on another origin, which the browser then blocks.
        public var missesVaryOrigin: Bool {
            guard let allowed = allowOrigin?.trimmingCharacters(in: .whitespaces), allowed != "*", !allowed.isEmpty
            else {
                return false
            }
            let parts = (vary ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            return !parts.contains("origin") && !parts.contains("*")
        }

        /// The report, one line each, header values escaped for the terminal.
        public var lines: [String] {
            func shown(_ v: String?) -> String { v.map { TerminalSafe.escape($0) } ?? "(none)" }
            var out = ["URL: \(TerminalSafe.escape(url))", "status: \(status)"]
            if let origin {
                out.append("Origin sent: \(TerminalSafe.escape(origin))")
                var line = "Access-Control-Allow-Origin: \(shown(allowOrigin))"
                if corsAllowed == false {
                    line += "  (a browser on \(TerminalSafe.escape(origin)) blocks fonts and modules from here)"
                }
                out.append(line)
            } else {
                out.append("Access-Control-Allow-Origin: \(shown(allowOrigin))")
            }
            var vary = "Vary: \(shown(self.vary))"
            if missesVaryOrigin { vary += "  (no Origin: a cache may serve this answer to other origins)" }
            out.append(vary)
            let cache = cacheStatus
            out.append(
                "cache: "
                    + (cache.isEmpty
                        ? "(no cache headers)"
                        : cache.map { "\($0.0): \(TerminalSafe.escape($0.1))" }
                            .joined(separator: ", ")))
            for name in ["Cache-Control", "Content-Type", "Content-Encoding", "ETag"] {
                out.append("\(name): \(shown(response.header(name)))")
            }
            return out
        }
    }

    /// The public URL could not be reached. It says which host, and what named it: for a CDN
    /// host that is the CDN domain's setting; `--endpoint-url` is only the fix when the URL is
    /// on the endpoint.
    public struct Unreachable: Error, CustomStringConvertible, Sendable {
        /// `scheme://host[:port]` of the URL.
        public var site: String
        /// What named the host (`the CDN domain cdn.example.com (cdn_domain in ...)`), if known.
        public var source: String?
        public var error: TransportError

        public var description: String {
            let named = source.map { ", \($0)" } ?? ""
            let check = source.map { "check \($0.hasPrefix("the endpoint") ? "--endpoint-url" : "that domain")" }
                ?? "check the URL's host"
            switch error {
            case .cannotConnect(let m): return "cannot connect to \(site)\(named): \(m); \(check) and the network"
            case .cannotResolve(let m): return "cannot resolve \(site)\(named): \(m); \(check) and the DNS"
            case .timedOut(let m): return "\(site)\(named) did not answer in time (\(m)); \(check) and the network"
            case .tls(let m): return "TLS failed with \(site)\(named): \(m); set AWS_CA_BUNDLE for a private CA"
            case .connectionLost(let m): return "the connection to \(site)\(named) broke: \(m)"
            case .responseTooLarge(let m): return "\(site)\(named) sent \(m); pail stopped reading it"
            case .cancelled: return "cancelled"
            case .sinkFailed(let m), .other(let m): return "request to \(site)\(named) failed: \(m)"
            }
        }
    }

    /// A public URL's check, with what named its host for the messages (see `Unreachable`).
    public static func check(_ url: PublicURL, origin: String?, caBundle: String? = nil) throws -> Result {
        Result(url: url.url, origin: origin, response: try head(url.url, origin: origin, caBundle: caBundle,
                                                                source: url.source))
    }

    public static func head(_ url: String, origin: String? = nil, caBundle: String? = nil, source: String? = nil)
        throws -> HTTPResponse {
        guard let comps = URLComponents(string: url), let scheme = comps.scheme, let host = comps.host else {
            throw S3Error.configuration("\(url) is not a URL pail can request")
        }
        var options = CurlTransport.Options()
        options.caBundle = caBundle
        let transport = CurlTransport(options: options)
        var headers = [("Host", hostHeader(comps))]
        if let origin { headers.append(("Origin", origin)) }
        // The path is already encoded in the URL: decode it once, the transport encodes it again.
        let request = HTTPRequest(
            method: "HEAD", scheme: scheme, host: host, port: comps.port,
            path: URIEncoding.decode(comps.percentEncodedPath), headers: headers)
        do {
            return try transport.send(request, sink: nil, progress: nil, cancel: nil)
        } catch let t as TransportError {
            throw Unreachable(site: "\(scheme)://\(hostHeader(comps))", source: source, error: t)
        }
    }

    /// HEAD with `Origin`, read for CORS and caching.
    public static func check(_ url: String, origin: String?, caBundle: String? = nil) throws -> Result {
        Result(url: url, origin: origin, response: try head(url, origin: origin, caBundle: caBundle))
    }

    /// The `Origin` to send for a bucket: the configured `site_origin`, else the CDN's own.
    public static func origin(for settings: BucketSettings) -> String? {
        if let site = settings.siteOrigin { return site }
        guard let domain = settings.cdnDomain, !domain.isEmpty else {
            return settings.r2DevURL.flatMap(normalizedOrigin)
        }
        return normalizedOrigin(domain.contains("://") ? domain : "https://" + domain)
    }

    /// `scheme://host[:port]`, lower-cased, without a path; nil when `text` is not one. Only
    /// printable ASCII goes into a request header.
    public static func normalizedOrigin(_ text: String) -> String? {
        var t = text.trimmingCharacters(in: .whitespaces)
        while t.hasByteSuffix("/") { t.removeLast() }
        guard t.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            let comps = URLComponents(string: t), let scheme = comps.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = comps.host, !host.isEmpty, comps.path.isEmpty, comps.query == nil, comps.user == nil
        else { return nil }
        return "\(scheme)://\(host.lowercased())" + (comps.port.map { ":\($0)" } ?? "")
    }

    private static func hostHeader(_ c: URLComponents) -> String {
        guard let port = c.port else { return c.host ?? "" }
        return "\(c.host ?? ""):\(port)"
    }
}
