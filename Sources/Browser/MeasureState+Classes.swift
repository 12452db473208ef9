import Foundation
import Operations

/// How a measured prefix's storage classes read: one short label in the tree's storage
/// column, a line per class in the details pane (what `du --by-storage-class` prints).
extension MeasureState {
    /// The tree's storage column: the one class's label, "mixed" for several, empty before any.
    var classColumn: String {
        switch classes.count {
        case 0: return ""
        case 1: return Self.label(classes[0].storageClass)
        default: return "mixed"
        }
    }

    /// One details line per class, biggest first, with its share of the bytes measured so far.
    var classLines: [(String, String, CellStyle)] {
        classes.map { c in
            let share = bytes > 0 ? " (\(Int((Double(c.bytes) * 100 / Double(bytes)).rounded()))%)" : ""
            return (c.storageClass, Formatting.size(c.bytes) + share + ", " + Formatting.things(c.objects, "object"),
                    .normal)
        }
    }

    /// The label objects of that class show in the column; a listing that names no class
    /// means STANDARD there too (S3 omits it for STANDARD on some servers).
    static func label(_ storageClass: String) -> String {
        storageClass == PrefixUsage.unknownClass ? StorageClassCode(nil).label : StorageClassCode(storageClass).label
    }
}
