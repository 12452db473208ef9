import Foundation

/// Asking a person before anything is destroyed. Without a terminal there is nobody to ask:
/// the command refuses unless --yes was given.
enum Confirmation {
    static var canAsk: Bool { isatty(0) == 1 && isatty(2) == 1 }

    /// Prints `lines` and the question to stderr, reads the answer from stdin. With `word`,
    /// the person must type exactly it; otherwise "y" or "yes".
    static func ask(_ lines: [String], question: String, word: String?) -> Bool {
        for l in lines { StandardError.write(l + "\n") }
        if let word {
            StandardError.write("\(question) Type \(word) to confirm: ")
        } else {
            StandardError.write("\(question) [y/N] ")
        }
        guard let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) else { return false }
        if let word { return answer == word }
        return ["y", "yes"].contains(answer.lowercased())
    }
}
