import S3

extension S3Answers {
    /// ListObjectsV2 over `objects`, answering `request` as S3 would: the objects below its
    /// prefix (compared as bytes), those past its delimiter folded into common prefixes, one page.
    public static func listObjectsV2(bucket: String, answering request: HTTPRequest,
                                     over objects: [Object]) -> HTTPResponse {
        let prefix = request.queryValue("prefix") ?? ""
        let delimiter = request.queryValue("delimiter")
        var shown: [Object] = []
        var prefixes: [String] = []
        for o in objects where o.key.hasBytePrefix(prefix) {
            let rest = o.key.droppingBytePrefix(prefix)
            if let delimiter, let cut = rest.range(of: delimiter) {
                let common = prefix + rest[..<cut.upperBound]
                if !prefixes.contains(common) { prefixes.append(common) }
            } else {
                shown.append(o)
            }
        }
        return listObjectsV2(bucket: bucket, prefix: prefix, delimiter: delimiter, objects: shown,
                             commonPrefixes: prefixes)
    }
}
