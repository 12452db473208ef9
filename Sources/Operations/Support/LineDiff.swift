import Foundation

/// A unified-style line diff (`-` removed, `+` added, two-space context) for showing an
/// edited configuration before it is sent. Configurations are small; past 2,000 lines a side
/// the whole old and new texts are shown instead of a quadratic table.
public enum LineDiff {
    public static func lines(old: String, new: String) -> [String] {
        let a = old.split(separator: "\n").map(String.init)
        let b = new.split(separator: "\n").map(String.init)
        if a.count > 2000 || b.count > 2000 { return a.map { "- " + $0 } + b.map { "+ " + $0 } }
        // Longest common subsequence by bytes (never String's canonical equivalence).
        let eq = { (x: String, y: String) in x.utf8.elementsEqual(y.utf8) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = eq(a[i], b[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, eq(a[i], b[j]) {
                out.append("  " + a[i]); i += 1; j += 1
            } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
                out.append("- " + a[i]); i += 1  // removals first, as diff -u shows them
            } else {
                out.append("+ " + b[j]); j += 1
            }
        }
        return out
    }
}
