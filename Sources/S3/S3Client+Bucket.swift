import Foundation

/// Bucket settings: one subresource per section, read, replaced and deleted whole.
extension S3Client {
    public func getBucketConfiguration(bucket: String, section: BucketSection) throws -> BucketConfigAnswer {
        let response: HTTPResponse
        do {
            response = try perform(S3Request(method: "GET", bucket: bucket, query: [(section.query, "")]))
        } catch S3Error.service(let e) where section.notSetCodes.contains(e.code) {
            return .notSet(e.code)
        } catch S3Error.service(let e) where e.code == "NotImplemented" || e.status == 501 {
            return .unsupported(e.code.isEmpty ? "HTTP \(e.status)" : e.code)
        }
        return Self.readBucketConfiguration(response.body, section: section)
    }

    /// The answer to a GET of `section`, checked to be the document asked for.
    static func readBucketConfiguration(_ body: Data, section: BucketSection) -> BucketConfigAnswer {
        func notIt(_ what: String) -> BucketConfigAnswer {
            let found = XMLDocumentReader.prolog(body).root.map { "a <\($0.prefix(64))> document" }
                ?? (body.isEmpty ? "an empty body" : "something that is not XML")
            return .unsupported("the server answered with \(found), not \(what)")
        }
        switch section {
        case .region:
            var location: String?
            var ok = false
            try? XMLDocumentReader.read(body, what: "LocationConstraint", root: "LocationConstraint") { path, text in
                if path == ["LocationConstraint"] { location = text; ok = true }
            }
            guard ok else { return notIt("a LocationConstraint") }
            let value: JSONValue = (location ?? "").isEmpty ? .null : .string(location!)
            return .document(.object([("LocationConstraint", value, 0)]))
        case .policy:
            // A policy is JSON, not XML; an XML or HTML page here is not a policy.
            guard let text = String(data: body, encoding: .utf8), case .object = try? JSONValue.parse(text) else {
                return notIt("a JSON policy")
            }
            return .document(.object([("Policy", .string(text.trimmingCharacters(in: .whitespacesAndNewlines)), 0)]))
        case .versioning:
            // moto names the document GetBucketVersioningResponse (its serializer's name
            // for the call); only its Status and MfaDelete are read from it.
            if XMLDocumentReader.prolog(body).root == "GetBucketVersioningResponse",
               let tree = try? XMLTree.parse(body, root: "GetBucketVersioningResponse") {
                let fields = tree.children.filter { ["Status", "MfaDelete"].contains($0.name) && $0.children.isEmpty }
                return .document(.object(fields.map { ($0.name, JSONValue.string($0.text), 0) }))
            }
            fallthrough
        default:
            let codec = BucketConfigCodec.forSection(section)!
            guard let json = try? codec.json(fromXML: body) else { return notIt("a \(codec.root)") }
            switch section {
            case .ownership, .encryption, .publicAccessBlock:
                return .document(.object([(codec.root, json, 0)]))  // as the AWS CLI wraps them
            default:
                return .document(json)
            }
        }
    }

    /// Replaces `section` with `body` (XML, or JSON for a policy).
    public func putBucketConfiguration(bucket: String, section: BucketSection, body: Data) throws {
        var headers = [("Content-Type", section == .policy ? "application/json" : "application/xml")]
        if section.needsContentMD5 || section == .versioning {
            headers.append(("Content-MD5", Digest.md5(body).base64))
        }
        do {
            _ = try perform(S3Request(method: "PUT", bucket: bucket, query: [(section.query, "")], headers: headers,
                                      body: .data(body)))
        } catch S3Error.service(let e) where ["BucketAlreadyOwnedByYou", "BucketAlreadyExists", "NotImplemented"]
                    .contains(e.code) {
            // SeaweedFS takes a PUT ?website for a CreateBucket: its "you already own it" is
            // no answer about the configuration, so it is said as what it means.
            throw S3Error.serverFault("the server at \(host(for: bucket)) does not support setting the "
                                      + "\(section.title) configuration (it answered \(e.code)); nothing was changed")
        }
    }

    public func deleteBucketConfiguration(bucket: String, section: BucketSection) throws {
        _ = try perform(S3Request(method: "DELETE", bucket: bucket, query: [(section.query, "")]))
    }

    public func putBucketVersioning(bucket: String, enabled: Bool) throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>"
            + (enabled ? "Enabled" : "Suspended") + "</Status></VersioningConfiguration>"
        try putBucketConfiguration(bucket: bucket, section: .versioning, body: Data(xml.utf8))
    }

    /// Sets a canned ACL (`private`, `public-read`, ...) on an object (PUT ?acl).
    public func putObjectCannedAcl(bucket: String, key: String, acl: String) throws {
        _ = try perform(S3Request(method: "PUT", bucket: bucket, key: key, query: [("acl", "")],
                                  headers: [("x-amz-acl", acl)]))
    }
}

extension S3Client {
    /// Removes every tag of an object (DELETE ?tagging): an empty TagSet is not accepted by every server.
    public func deleteObjectTagging(bucket: String, key: String) throws {
        _ = try perform(S3Request(method: "DELETE", bucket: bucket, key: key, query: [("tagging", "")]))
    }
}
