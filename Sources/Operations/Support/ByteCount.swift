import Foundation

/// Sizes as people read them: binary units, three significant figures.
public enum ByteCount {
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes) / 1024
        var i = 0
        while value >= 1024 && i < units.count - 1 {
            value /= 1024
            i += 1
        }
        return value >= 100 ? "\(Int(value.rounded())) \(units[i])" : String(format: "%.1f ", value) + units[i]
    }
}
