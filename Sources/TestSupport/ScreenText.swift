import Foundation

/// Reading a drawn screen's text as a person reads it.
public enum ScreenText {
    /// The numbered lines of the box on the screen ("3 CDN https://cdn.example.com/a.jpg"),
    /// runs of spaces folded into one.
    public static func menuLines(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            guard let open = line.firstIndex(of: "│"),
                  let close = line[line.index(after: open)...].firstIndex(of: "│")
            else { return nil }
            let inner = line[line.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            guard let first = inner.first, first.isNumber else { return nil }
            return inner.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
    }
}
