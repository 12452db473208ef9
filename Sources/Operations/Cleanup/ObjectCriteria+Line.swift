import Foundation
import S3

extension ObjectCriteria {
    /// The criteria from the options `pail find` takes, as typed there: the one place sizes,
    /// ages and patterns are read, for the command line and the browser's find prompt alike.
    public static func make(name: String?, regex: String?, larger: String?, smaller: String?, older: String?,
                            newer: String?, storageClass: String?) throws -> ObjectCriteria {
        var c = ObjectCriteria()
        c.name = name
        c.regex = regex
        c.largerThan = try larger.map(ByteCount.parse)
        c.smallerThan = try smaller.map(ByteCount.parse)
        c.olderThan = try older.map(Durations.parseAny)
        c.newerThan = try newer.map(Durations.parseAny)
        c.storageClass = storageClass
        try c.validate()
        return c
    }

    /// The options `pail find` takes, written on one line as on the command line:
    /// `--name '*.jpg' --larger 1M --older=30d`. A word without an option is a name pattern
    /// (`*.jpg`). Quotes ('…' or "…") and a backslash keep spaces in a value.
    public static func parse(line: String) throws -> ObjectCriteria {
        let words = try split(line)
        var values: [String: String] = [:]
        let options = ["name", "regex", "larger", "smaller", "older", "newer", "storage-class"]
        var i = 0
        while i < words.count {
            var word = words[i]
            i += 1
            guard word.hasPrefix("--") else {
                guard values["name"] == nil else {
                    throw S3Error.configuration("\"\(TerminalSafe.escape(word))\": one name pattern only; "
                                                + "options are --" + options.joined(separator: " --"))
                }
                values["name"] = word
                continue
            }
            word.removeFirst(2)
            var value: String?
            if let eq = word.firstIndex(of: "=") {
                value = String(word[word.index(after: eq)...])
                word = String(word[..<eq])
            }
            guard options.contains(word) else {
                throw S3Error.configuration("--\(TerminalSafe.escape(word)) is not a find option: use --"
                                            + options.joined(separator: " --"))
            }
            if value == nil {
                guard i < words.count else { throw S3Error.configuration("--\(word) needs a value") }
                value = words[i]
                i += 1
            }
            values[word] = value
        }
        return try make(name: values["name"], regex: values["regex"], larger: values["larger"],
                        smaller: values["smaller"], older: values["older"], newer: values["newer"],
                        storageClass: values["storage-class"])
    }

    /// Words as a shell splits them, for the few quoting forms people type.
    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\\" {
                escaped = true
                inWord = true
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if quote != nil { throw S3Error.configuration("a quote is not closed") }
        if inWord { words.append(current) }
        return words
    }
}
