/// An inclusive range of instants in milliseconds since 1970 (UTC), as FHIR date search uses.
///
/// A date's precision becomes its range: `2020` covers the whole year, `2020-03-04T10:00Z`
/// the whole minute. Open Period ends are `Int64.min` and `Int64.max`.
public struct DateRange: Sendable, Equatable, Hashable {
    public var low: Int64
    public var high: Int64

    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }

    public static let unbounded = DateRange(low: .min, high: .max)

    /// Parses a FHIR date, dateTime or instant (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
    /// `YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]`). Values without a zone are taken as UTC.
    public init?(fhir text: String) {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func take(_ c: UInt8) -> Bool {
            if i < b.count, b[i] == c {
                i += 1
                return true
            }
            return false
        }
        guard let year = digits(4), year >= 1 else { return nil }
        if i == b.count {
            let lo = Self.epochMillis(year, 1, 1)
            self.init(low: lo, high: Self.epochMillis(year + 1, 1, 1) - 1)
            return
        }
        guard take(UInt8(ascii: "-")), let month = digits(2), (1...12).contains(month) else { return nil }
        if i == b.count {
            let next = month == 12 ? Self.epochMillis(year + 1, 1, 1) : Self.epochMillis(year, month + 1, 1)
            self.init(low: Self.epochMillis(year, month, 1), high: next - 1)
            return
        }
        guard take(UInt8(ascii: "-")), let day = digits(2), day >= 1, day <= Self.daysIn(year, month) else {
            return nil
        }
        let dayStart = Self.epochMillis(year, month, day)
        if i == b.count {
            self.init(low: dayStart, high: dayStart + 86_400_000 - 1)
            return
        }
        guard take(UInt8(ascii: "T")), let hour = digits(2), hour < 24, take(UInt8(ascii: ":")),
            let minute = digits(2), minute < 60
        else { return nil }
        var millis = Int64(hour * 3_600_000 + minute * 60_000)
        var span: Int64 = 60_000
        if take(UInt8(ascii: ":")) {
            guard let second = digits(2), second < 60 else { return nil }
            millis += Int64(second * 1000)
            span = 1000
            if take(UInt8(ascii: ".")) {
                var fraction = 0
                var count = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                    if count < 3 { fraction = fraction * 10 + Int(b[i] - 0x30) }
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                if count < 3 { for _ in count..<3 { fraction *= 10 } }
                millis += Int64(fraction)
                span = 1
            }
        }
        var offset: Int64 = 0
        if take(UInt8(ascii: "Z")) {
            offset = 0
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), oh <= 14, take(UInt8(ascii: ":")), let om = digits(2), om < 60 else {
                return nil
            }
            offset = sign * Int64(oh * 3_600_000 + om * 60_000)
        }
        guard i == b.count else { return nil }
        let start = dayStart + millis - offset
        self.init(low: start, high: start + span - 1)
    }

    static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from civil (Howard Hinnant's algorithm), in milliseconds.
    static func epochMillis(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Int64(days) * 86_400_000
    }

    /// Formats milliseconds since 1970 as a FHIR instant with millisecond precision.
    public static func instantString(millis: Int64) -> String {
        var days = millis / 86_400_000
        var rem = millis % 86_400_000
        if rem < 0 {
            rem += 86_400_000
            days -= 1
        }
        // Civil from days (Hinnant).
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let ms = Int(rem)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(ms / 3_600_000, 2)):\(pad(ms / 60000 % 60, 2)):"
            + "\(pad(ms / 1000 % 60, 2)).\(pad(ms % 1000, 3))Z"
    }
}
