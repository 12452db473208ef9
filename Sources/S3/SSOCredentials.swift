import Foundation

/// AWS IAM Identity Center (SSO) profiles: the token `aws sso login` left in
/// `~/.aws/sso/cache` is exchanged for the role's credentials at the SSO portal. pail does not
/// sign in itself: without a token, or with an expired one, it says to run `aws sso login`.
public enum SSOCredentials {
    public struct Profile: Sendable, Equatable {
        public var name: String
        public var accountId: String
        public var roleName: String
        public var startURL: String
        public var region: String
        /// The `[sso-session NAME]` the profile uses; nil for the older form with
        /// `sso_start_url` in the profile itself.
        public var session: String?

        /// The AWS CLI names the token cache file after the SHA-1 of this.
        var cacheKey: String { session ?? startURL }
    }

    /// The profile's SSO settings, or nil when it has none.
    static func profile(_ name: String, section: [String: String], session lookup: (String) -> [String: String]?,
                        configPath: String) throws -> Profile? {
        let keys = ["sso_session", "sso_start_url", "sso_account_id", "sso_role_name"]
        guard keys.contains(where: { nonEmpty(section[$0]) != nil }) else { return nil }
        var startURL = nonEmpty(section["sso_start_url"])
        var region = nonEmpty(section["sso_region"])
        let session = nonEmpty(section["sso_session"])
        if let session {
            guard let settings = lookup(session) else {
                throw S3Error.configuration("\(configPath): profile \"\(name)\" names sso_session \"\(session)\", "
                                            + "which has no [sso-session \(session)] section")
            }
            startURL = nonEmpty(settings["sso_start_url"]) ?? startURL
            region = nonEmpty(settings["sso_region"]) ?? region
        }
        let accountId = nonEmpty(section["sso_account_id"])
        let roleName = nonEmpty(section["sso_role_name"])
        let missing = [("sso_account_id", accountId), ("sso_role_name", roleName), ("sso_start_url", startURL),
                       ("sso_region", region)]
            .filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty, let accountId, let roleName, let startURL, let region else {
            throw S3Error.configuration("\(configPath): profile \"\(name)\" signs in through IAM Identity Center "
                                        + "but has no \(missing.joined(separator: ", "))")
        }
        return Profile(name: name, accountId: accountId, roleName: roleName, startURL: startURL, region: region,
                       session: session)
    }

    /// The portal's endpoint: `AWS_ENDPOINT_URL_SSO`, else AWS's in the SSO region.
    static func portal(_ profile: Profile, environment: [String: String]) -> String {
        var base = nonEmpty(environment["AWS_ENDPOINT_URL_SSO"]) ?? "https://portal.sso.\(profile.region).amazonaws.com"
        while base.hasByteSuffix("/") { base.removeLast() }
        return base
    }

    public static func credentials(_ profile: Profile, home: String, environment: [String: String], now: Date,
                                   fetch: CredentialFetch) throws -> Credentials {
        let name = "profile \"\(profile.name)\""
        let login = "run `aws sso login --profile \(profile.name)`"
        let cache = home + "/.aws/sso/cache/" + Digest.sha1(profile.cacheKey).hex + ".json"
        guard let data = FileManager.default.contents(atPath: cache),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let token = object["accessToken"] as? String, !token.isEmpty else {
            throw S3Error.configuration("\(name) signs in through IAM Identity Center and has no sign-in token "
                                        + "in \(cache): \(login)")
        }
        if let text = object["expiresAt"] as? String, let expires = parseExpiry(text), expires <= now {
            throw S3Error.configuration("the IAM Identity Center sign-in of \(name) expired at \(text): \(login)")
        }
        let base = portal(profile, environment: environment)
        let url = base + "/federation/credentials?account_id=\(URIEncoding.encode(profile.accountId))"
            + "&role_name=\(URIEncoding.encode(profile.roleName))"
        let what = "the IAM Identity Center portal at \(base)"
        let response: HTTPResponse
        do {
            response = try fetch("GET", url, [("x-amz-sso_bearer_token", token)])
        } catch let error as TransportError {
            throw S3Error.configuration("\(name): cannot reach \(what) (\(error.detail)); "
                                        + "check the network or AWS_ENDPOINT_URL_SSO")
        }
        if response.status == 401 || response.status == 403 {
            throw S3Error.configuration("\(what) refused the sign-in token of \(name) "
                                        + "(HTTP \(response.status)): \(login)")
        }
        guard response.status == 200,
              let answer = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let role = answer["roleCredentials"] as? [String: Any],
              let id = role["accessKeyId"] as? String, let secret = role["secretAccessKey"] as? String,
              !id.isEmpty, !secret.isEmpty else {
            throw S3Error.configuration("\(what) answered HTTP \(response.status) without credentials "
                                        + "for role \(profile.roleName) in account \(profile.accountId)")
        }
        let expiration = (role["expiration"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue / 1000) }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: role["sessionToken"] as? String,
                           expiration: expiration,
                           source: "IAM Identity Center role \(profile.roleName) in account \(profile.accountId) "
                               + "(profile \(profile.name))")
    }

    /// `2024-05-01T12:00:00Z`, or the older CLIs' `2019-11-14T04:05:45UTC`.
    static func parseExpiry(_ text: String) -> Date? {
        Timestamps.parseISO8601(text.hasSuffix("UTC") ? String(text.dropLast(3)) + "Z" : text)
    }

    /// The portal over curl with the usual timeouts (it is on the internet, not a local address).
    public static func curlFetch(caBundle: String?) -> CredentialFetch {
        { method, url, headers in
            var options = CurlTransport.Options()
            options.caBundle = caBundle
            options.timeout = 30
            return try MachineCredentials.fetchOverCurl(method, url, headers, options: options)
        }
    }
}
