import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The date forms S3 speaks: ISO 8601 in XML bodies, RFC 1123 in headers. Parsed by hand:
/// a listing of 20,000 keys parses 20,000 dates, and DateFormatter is slow and locale-bound.
public enum Timestamps {
    /// `2009-10-12T17:50:30.000Z` (fraction and `Z` optional).
    public static func parseISO8601(_ s: String) -> Date? {
        var s = s
        return s.withUTF8 { parseISO8601(bytes: $0) }
    }

    /// The same from bytes, for an inventory report's field read in place (millions of rows):
    /// no String, no timegm (days from the civil date, in UTC, normalising hours and days past
    /// the end of a month as timegm does). A month outside 1-12 or a day outside 1-31 is no date.
    @inlinable
    public static func parseISO8601(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count >= 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20,
              b[13] == 0x3A, b[16] == 0x3A else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                let c = b[i]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2),
              let mi = num(14, 2), let sec = num(17, 2), (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var frac = 0.0
        var i = 19
        if i < b.count && b[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                frac += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        // Howard Hinnant's days_from_civil.
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + mi * 60 + sec) + frac)
    }

    /// `2026-11-24T18:08:48Z`, the form pail's JSON uses.
    public static func formatISO8601(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        return dateTime(parts, separator: "T") + "Z"
    }

    /// `2026-11-24 18:08:48` in local time, as `aws s3 ls` prints.
    public static func formatLocal(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&t, &parts)
        return dateTime(parts, separator: " ")
    }

    /// `YYYY-MM-DD`, `separator`, `hh:mm:ss`, written digit by digit: `String(format:)` went
    /// through Foundation for each of the 20,000 lines of `dupes --json`, a large part of its cost.
    private static func dateTime(_ p: tm, separator: Character) -> String {
        var out = ""
        out.reserveCapacity(20)
        func digits(_ value: Int32, _ width: Int) {
            let text = String(value)
            if text.count < width { out += String(repeating: "0", count: width - text.count) }
            out += text
        }
        digits(p.tm_year + 1900, 4)
        out += "-"
        digits(p.tm_mon + 1, 2)
        out += "-"
        digits(p.tm_mday, 2)
        out.append(separator)
        digits(p.tm_hour, 2)
        out += ":"
        digits(p.tm_min, 2)
        out += ":"
        digits(p.tm_sec, 2)
        return out
    }

    /// `Wed, 12 Oct 2009 17:50:00 GMT` (RFC 1123, as in Last-Modified and Date headers).
    public static func parseHTTPDate(_ s: String) -> Date? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        // Drop the weekday, then expect "12 Oct 2009 17:50:00".
        let body = s.split(separator: ",", maxSplits: 1).last.map(String.init) ?? s
        let parts = body.split(separator: " ")
        guard parts.count >= 4, let day = Int(parts[0]), let month = months.firstIndex(of: parts[1].lowercased()),
              let year = Int(parts[2]) else { return nil }
        let hms = parts[3].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(hms[0])
        t.tm_min = Int32(hms[1])
        t.tm_sec = Int32(hms[2])
        return Date(timeIntervalSince1970: Double(timegm(&t)))
    }

    public static func formatHTTPDate(_ date: Date) -> String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var p = tm()
        gmtime_r(&t, &p)
        let day = String(format: "%02d", Int(p.tm_mday))
        let time = String(format: "%04d %02d:%02d:%02d", Int(p.tm_year) + 1900, Int(p.tm_hour), Int(p.tm_min),
                          Int(p.tm_sec))
        return "\(days[Int(p.tm_wday)]), \(day) \(months[Int(p.tm_mon)]) \(time) GMT"
    }
}
