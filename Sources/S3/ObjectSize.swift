import Foundation
import FoundationXML

/// Object sizes as a server states them, bounded by S3's largest object (5 TiB): a larger or
/// negative size is a lie pail would otherwise allocate, preallocate or count from.
public enum ObjectSize {
    public static let max: Int64 = 5 << 40
    /// The largest part of a multipart upload or copy (5 GiB).
    public static let maxPart: Int64 = 5 << 30
    static let outOfRange = "is not a number from 0 to 5 TiB (S3's largest object)"

    public static func parse(_ text: String) -> Int64? {
        guard let v = Int64(text.trimmingCharacters(in: .whitespaces)), v >= 0, v <= max else { return nil }
        return v
    }
}
