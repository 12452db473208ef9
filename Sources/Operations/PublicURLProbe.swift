import Foundation
import S3

/// A plain, unsigned HEAD on a public URL (a CDN or a public bucket): what visitors get.
public enum PublicURLProbe {
    public static func head(_ url: String, caBundle: String? = nil) throws -> HTTPResponse {
        guard let comps = URLComponents(string: url), let scheme = comps.scheme, let host = comps.host else {
            throw S3Error.configuration("\(url) is not a URL pail can request")
        }
        var options = CurlTransport.Options()
        options.caBundle = caBundle
        let transport = CurlTransport(options: options)
        // The path is already encoded in the URL: decode it once, the transport encodes it again.
        let request = HTTPRequest(method: "HEAD", scheme: scheme, host: host, port: comps.port,
                                  path: URIEncoding.decode(comps.percentEncodedPath), headers: [("Host", hostHeader(comps))])
        do {
            return try transport.send(request, sink: nil, progress: nil, cancel: nil)
        } catch let t as TransportError {
            throw S3Error.transport(t, endpoint: "\(scheme)://\(host)")
        }
    }

    private static func hostHeader(_ c: URLComponents) -> String {
        guard let port = c.port else { return c.host ?? "" }
        return "\(c.host ?? ""):\(port)"
    }
}
