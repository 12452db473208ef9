import Foundation

/// The two date forms SigV4 uses, from one instant, in UTC.
struct AmzDate {
    let full: String  // 20150830T123600Z
    let day: String   // 20150830

    init(_ date: Date) {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        day = String(format: "%04d%02d%02d", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday))
        full = day + String(format: "T%02d%02d%02dZ", Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
    }

    func scope(_ region: String, _ service: String) -> String { "\(day)/\(region)/\(service)/aws4_request" }
}
