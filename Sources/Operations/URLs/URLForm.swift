import Foundation
import S3

/// The ways to name an object: every form a person may need to paste somewhere.
public enum URLForm: String, CaseIterable, Sendable {
    case s3, https, cdn, presigned, arn
}
