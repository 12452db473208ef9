import Foundation

/// Readers for CloudFront's XML answers. Each takes only its own root element and checks
/// what it keeps: ids well-formed, names of bounded length, a status present.
enum CloudFrontParsers {
    /// Host names are at most 253 characters; anything longer is not a name.
    static let maxNameLength = 253

    /// `<Invalidation><Id/><Status/>...</Invalidation>` (CreateInvalidation, GetInvalidation).
    static func invalidation(_ data: Data) throws -> CloudFrontInvalidation {
        var id: String?
        var status: String?
        try XMLDocumentReader.read(data, what: "CloudFront invalidation", root: "Invalidation") { path, text in
            guard path.count == 2 else { return }
            if path[1] == "Id" { id = text }
            if path[1] == "Status" { status = text }
        }
        guard let id, CloudFrontDistribution.isValidId(id) else {
            throw S3Error.invalidResponse("CloudFront invalidation without a well-formed Id")
        }
        guard let status, !status.isEmpty, status.count <= 32,
            status.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic })
        else {
            throw S3Error.invalidResponse("CloudFront invalidation \(id) without a readable Status")
        }
        return CloudFrontInvalidation(id: id, status: status)
    }

    /// One page of ListDistributions: the summaries and the marker of the next page.
    static func distributionList(_ data: Data) throws -> (distributions: [CloudFrontDistribution], nextMarker: String?)
    {
        var out: [CloudFrontDistribution] = []
        var current: CloudFrontDistribution?
        var origin: CloudFrontOrigin?
        var truncated = false
        var marker: String?
        var bad: String?
        try XMLDocumentReader.read(
            data, what: "CloudFront distribution list", root: "DistributionList",
            onStart: { path in
                if path == ["DistributionList", "Items", "DistributionSummary"] {
                    current = CloudFrontDistribution(id: "", domainName: "")
                }
                if path.count == 5, path[2] == "DistributionSummary", path[3] == "Origins", path[4] == "Items" {
                    return
                }
                if path.count == 6, path[2] == "DistributionSummary", path[3] == "Origins", path[5] == "Origin" {
                    origin = CloudFrontOrigin(domainName: "", originPath: "")
                }
            }
        ) { path, text in
            if path.count == 2 {
                if path[1] == "IsTruncated" { truncated = text == "true" }
                if path[1] == "NextMarker" { marker = text }
                return
            }
            guard path.count >= 3, path[1] == "Items", path[2] == "DistributionSummary" else { return }
            let rest = Array(path.dropFirst(3))
            if rest.isEmpty {
                if let d = current {
                    if let problem = check(d) { bad = bad ?? problem } else { out.append(d) }
                }
                current = nil
                return
            }
            record(rest, text, into: &current, origin: &origin)
        }
        if let bad { throw S3Error.invalidResponse(bad) }
        if truncated {
            guard let marker, !marker.isEmpty, marker.utf8.count <= 1024 else {
                throw S3Error.invalidResponse("CloudFront distribution list is truncated without a NextMarker")
            }
            return (out, marker)
        }
        return (out, nil)
    }

    /// `<Distribution>` (GetDistribution): the id, domain and the configuration's origins and aliases.
    static func distribution(_ data: Data) throws -> CloudFrontDistribution {
        var current: CloudFrontDistribution? = CloudFrontDistribution(id: "", domainName: "")
        var origin: CloudFrontOrigin?
        try XMLDocumentReader.read(
            data, what: "CloudFront distribution", root: "Distribution",
            onStart: { path in
                if path.count == 5, path[1] == "DistributionConfig", path[2] == "Origins", path[4] == "Origin" {
                    origin = CloudFrontOrigin(domainName: "", originPath: "")
                }
            }
        ) { path, text in
            guard path.count >= 2 else { return }
            if path[1] == "DistributionConfig" {
                // The configuration's Origins and Aliases sit one level deeper than a summary's.
                record(Array(path.dropFirst(2)), text, into: &current, origin: &origin)
            } else if path.count == 2 {
                record([path[1]], text, into: &current, origin: &origin)
            }
        }
        guard let d = current else { throw S3Error.invalidResponse("empty CloudFront distribution") }
        if let problem = check(d) { throw S3Error.invalidResponse(problem) }
        return d
    }

    /// One element below a DistributionSummary (or a DistributionConfig), `rest` its path from there.
    private static func record(
        _ rest: [String], _ text: String, into current: inout CloudFrontDistribution?,
        origin: inout CloudFrontOrigin?
    ) {
        guard current != nil else { return }
        switch rest {
        case ["Id"]: current!.id = text
        case ["DomainName"]: current!.domainName = text.lowercased()
        case ["Aliases", "Items", "CNAME"]: current!.aliases.append(text.lowercased())
        case ["Origins", "Items", "Origin", "DomainName"]: origin?.domainName = text.lowercased()
        case ["Origins", "Items", "Origin", "OriginPath"]: origin?.originPath = text
        case ["Origins", "Items", "Origin"]:
            if let o = origin { current!.origins.append(o) }
            origin = nil
        default: break
        }
    }

    /// Why a distribution read from the server cannot be used, or nil.
    private static func check(_ d: CloudFrontDistribution) -> String? {
        guard CloudFrontDistribution.isValidId(d.id) else { return "CloudFront distribution without a well-formed Id" }
        let names = [d.domainName] + d.aliases + d.origins.map(\.domainName)
        if names.contains(where: { $0.utf8.count > maxNameLength }) {
            return "CloudFront distribution \(d.id) names a host longer than \(maxNameLength) characters"
        }
        if d.origins.contains(where: { $0.originPath.utf8.count > 1024 }) {
            return "CloudFront distribution \(d.id) has an origin path longer than 1024 characters"
        }
        return nil
    }

    /// `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`; nil if not one.
    static func error(_ data: Data, status: Int) -> ServiceError? {
        guard !data.isEmpty else { return nil }
        var fields: [String: String] = [:]
        var requestId: String?
        do {
            try XMLDocumentReader.read(data, what: "CloudFront error", root: "ErrorResponse") { path, text in
                if path.count == 3, path[1] == "Error" { fields[path[2]] = text }
                if path.count == 2, path[1] == "RequestId" { requestId = text }
            }
        } catch { return nil }
        guard let code = fields["Code"], !code.isEmpty, code.utf8.count <= 128 else { return nil }
        return ServiceError(status: status, code: code, message: fields["Message"] ?? "", requestId: requestId)
    }
}
