#if canImport(Glibc)
import Glibc
#endif

/// A UTC calendar date and time, as RTAS get-time-of-day returns it and set-time-of-day takes it.
public struct CalendarTime: Equatable, Sendable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second; self.nanosecond = nanosecond
    }

    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
    }

    /// True when every field is in its calendar range (years 1-9999, the Gregorian calendar).
    public var isValid: Bool {
        (1...9999).contains(year) && (1...12).contains(month) && (1...Self.days(inMonth: month, of: year)).contains(day)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
            && (0...999_999_999).contains(nanosecond)
    }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64 {
        let seconds = Self.daysSinceEpoch(year: year, month: month, day: day) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000_000 + Int64(nanosecond)
    }

    public init(nanosecondsSinceEpoch ns: Int64) {
        var seconds = ns / 1_000_000_000, nano = ns % 1_000_000_000
        if nano < 0 { nano += 1_000_000_000; seconds -= 1 }
        var days = seconds / 86_400, rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = Self.civil(daysSinceEpoch: days)
        self.init(year: y, month: m, day: d, hour: Int(rest / 3600), minute: Int(rest % 3600 / 60),
                  second: Int(rest % 60), nanosecond: Int(nano))
    }

    // Days from and to a proleptic Gregorian date: the year counted from March, so the leap
    // day is the last of the year, in 400-year eras of 146097 days (Hinnant's algorithms).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * Int64(month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(daysSinceEpoch: Int64) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}

/// The partition's time-of-day clock: a base date (the host's clock when the partition starts,
/// or `--rtc base=`) plus the virtual time elapsed since (time base / 512 MHz), plus what
/// set-time-of-day moved it by. With a fixed base it is as deterministic as the time base.
public struct TimeOfDay: Sendable {
    /// Nanoseconds since the epoch at time base 0.
    public var base: Int64
    /// Nanoseconds set-time-of-day added.
    public var offset: Int64 = 0

    public init(base: Int64? = nil) { self.base = base ?? Self.hostNow() }

    public static func hostNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Time base ticks (512 MHz) as nanoseconds: 1e9 / 512e6 = 125 / 64, split so no tick count
    /// overflows.
    static func nanoseconds(ticks: UInt64) -> Int64 {
        Int64(truncatingIfNeeded: (ticks / 64) &* 125 &+ (ticks % 64) * 125 / 64)
    }

    public func now(timeBase: UInt64) -> CalendarTime {
        CalendarTime(nanosecondsSinceEpoch: base &+ Self.nanoseconds(ticks: timeBase) &+ offset)
    }

    public mutating func set(_ time: CalendarTime, timeBase: UInt64) {
        offset = time.nanosecondsSinceEpoch &- base &- Self.nanoseconds(ticks: timeBase)
    }
}

/// `--rtc`, as QEMU's `-rtc base=`: `base=utc` (the host's clock, the default) or
/// `base=YYYY-MM-DD[THH:MM:SS]` (UTC). Returns the base in nanoseconds since the epoch, or nil
/// for the host's clock.
public enum RTCOption {
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws(ParseError) -> Int64? {
        guard text.hasPrefix("base=") else {
            throw ParseError(description: "--rtc expects base=utc or base=YYYY-MM-DD[THH:MM:SS] (UTC), not '\(text)'")
        }
        let value = String(text.dropFirst(5))
        if value == "utc" { return nil }
        guard let time = calendarTime(value), time.isValid else {
            throw ParseError(description: "--rtc base= expects utc or a UTC date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, not '\(value)'")
        }
        return time.nanosecondsSinceEpoch
    }

    static func calendarTime(_ s: String) -> CalendarTime? {
        let parts = s.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        func fields(_ p: Substring, _ sep: Character, _ widths: [Int]) -> [Int]? {
            let f = p.split(separator: sep, omittingEmptySubsequences: false)
            guard f.count == widths.count else { return nil }
            var out: [Int] = []
            for (x, w) in zip(f, widths) {
                guard x.count == w, x.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(x) else { return nil }
                out.append(n)
            }
            return out
        }
        guard let date = fields(parts[0], "-", [4, 2, 2]) else { return nil }
        var clock = [0, 0, 0]
        if parts.count == 2 { guard let c = fields(parts[1], ":", [2, 2, 2]) else { return nil }; clock = c }
        return CalendarTime(year: date[0], month: date[1], day: date[2], hour: clock[0], minute: clock[1], second: clock[2])
    }
}
