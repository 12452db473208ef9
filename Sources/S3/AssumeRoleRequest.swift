import Foundation

/// What a profile with `role_arn` asks of STS (the AWS CLI's assume-role provider), or what
/// a web identity token file is exchanged for (Kubernetes service accounts, GitHub Actions).
public struct AssumeRoleRequest: Sendable, Equatable {
    /// Who asks, for messages: `profile "deploy"`, or the environment variables.
    public var requester: String
    public var roleArn: String
    public var sessionName: String
    public var externalId: String?
    public var durationSeconds: Int?
    /// An MFA device and the code read for it (`mfa_serial`).
    public var mfaSerial: String?
    public var mfaCode: String?
    /// Set for AssumeRoleWithWebIdentity: the token is read from this file and the call is
    /// not signed.
    public var webIdentityTokenFile: String?
    /// The STS endpoint: AWS's regional one unless the environment or configuration names one.
    public var endpoint: S3Endpoint
    public var region: String
    public var caBundle: String?

    public init(requester: String, roleArn: String, sessionName: String, externalId: String? = nil,
                durationSeconds: Int? = nil, webIdentityTokenFile: String? = nil, endpoint: S3Endpoint, region: String,
                caBundle: String? = nil) {
        self.requester = requester
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
        self.webIdentityTokenFile = webIdentityTokenFile
        self.endpoint = endpoint
        self.region = region
        self.caBundle = caBundle
    }

    /// `https://sts.REGION.amazonaws.com`: the regional endpoint, as current AWS CLIs use.
    public static func awsEndpoint(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: S3Endpoint.awsHost("sts", region: region), port: nil, basePath: "",
                   isDefaultAWS: false)
    }
}
