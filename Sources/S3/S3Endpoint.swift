import Foundation

/// Where requests go: AWS's regional hosts, or a custom endpoint (MinIO, Ceph, R2, ...).
public struct S3Endpoint: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// A path the endpoint lives under (rare; kept for reverse proxies).
    public var basePath: String
    /// True when the user gave no endpoint: the host follows the bucket's region.
    public var isDefaultAWS: Bool

    public static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: awsHost("s3", region: region), port: nil, basePath: "", isDefaultAWS: true)
    }

    /// `SERVICE.REGION.amazonaws.com`, or `.com.cn` in the China regions.
    public static func awsHost(_ service: String, region: String) -> String {
        "\(service).\(region).\(region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com")"
    }

    public init(scheme: String, host: String, port: Int?, basePath: String, isDefaultAWS: Bool) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
        self.isDefaultAWS = isDefaultAWS
    }

    /// Parses `http://127.0.0.1:8333` or `https://nyc3.digitaloceanspaces.com`.
    public init(parsing url: String) throws {
        // `127.0.0.1:9000` or `minio.local:9000`: the most common slip, with the fix spelled out.
        if !url.contains("://"), !url.isEmpty, url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
            throw S3Error.configuration("endpoint URL \"\(url)\" has no scheme: add http:// "
                                        + "(--endpoint-url http://\(url)), or https:// for TLS")
        }
        guard let comps = URLComponents(string: url), let scheme = comps.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = comps.host, !host.isEmpty else {
            throw S3Error.configuration("endpoint URL \"\(url)\" is not valid: give it as http(s)://host[:port]")
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = comps.port
        var path = comps.path
        while path.hasByteSuffix("/") { path.removeLast() }
        basePath = path
        isDefaultAWS = false
    }

    public var isAWS: Bool { host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn") }
    public var isDigitalOceanSpaces: Bool { host.hasSuffix(".digitaloceanspaces.com") }
    public var isCloudflareR2: Bool { host.hasSuffix(".r2.cloudflarestorage.com") }

    public var display: String {
        var s = "\(scheme)://\(host)"
        if let port { s += ":\(port)" }
        return s + basePath
    }

    /// Whether a bucket name can be a DNS label under this endpoint (S3 rule 19: names with
    /// dots break TLS wildcard certificates, so they go path style over HTTPS).
    public func canUseVirtualHost(_ bucket: String) -> Bool {
        guard bucket.count >= 3, bucket.count <= 63 else { return false }
        if scheme == "https" && bucket.contains(".") { return false }
        let ok = bucket.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E
        }
        return ok && !bucket.hasPrefix("-") && !bucket.hasSuffix("-")
    }

    public func usesVirtualHost(_ bucket: String, style: AddressingStyle) -> Bool {
        switch style {
        case .path: return false
        case .virtual: return canUseVirtualHost(bucket) || !bucket.contains(".")
        case .auto: return (isAWS || isDefaultAWS || isDigitalOceanSpaces) && canUseVirtualHost(bucket)
        }
    }

    /// Host and decoded path for a bucket and key. `region` moves the default AWS host to the
    /// bucket's own region.
    public func location(bucket: String?, key: String?, style: AddressingStyle, region: String? = nil)
        -> (host: String, path: String) {
        var baseHost = host
        if isDefaultAWS, let region { baseHost = S3Endpoint.aws(region: region).host }
        guard let bucket, !bucket.isEmpty else { return (baseHost, basePath + "/") }
        let keyPart = key ?? ""
        if usesVirtualHost(bucket, style: style) {
            return ("\(bucket).\(baseHost)", basePath + "/" + keyPart)
        }
        return (baseHost, basePath + "/" + bucket + (key == nil ? "" : "/" + keyPart))
    }
}
