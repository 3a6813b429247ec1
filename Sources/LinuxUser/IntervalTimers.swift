#if canImport(Glibc)
import Glibc
#endif

/// The three interval timers of setitimer/getitimer/alarm (ITIMER_REAL 0, ITIMER_VIRTUAL 1,
/// ITIMER_PROF 2), as getitimer and alarm report them. Each is also armed as lpar's own host
/// timer (`LinuxProcess.armHostTimer`), whose expiry delivers SIGALRM, SIGVTALRM or SIGPROF.
public struct IntervalTimers: Sendable {
    public struct Timer: Sendable, Equatable {
        /// The reload value in microseconds (0: one shot).
        public var intervalMicroseconds: Int64 = 0
        /// When it fires next, in nanoseconds on its clock; nil when disarmed.
        public var expiry: Int64?
    }
    public private(set) var timers = [Timer](repeating: Timer(), count: 3)

    public init() {}

    /// ITIMER_REAL counts wall-clock (monotonic) time; VIRTUAL and PROF count the process's CPU
    /// time (lpar's, which is the guest's).
    public static func now(_ which: Int) -> Int64 {
        var ts = timespec()
        clock_gettime(which == 0 ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// (interval, value) in microseconds, as getitimer reports them at time `now` (ns). A timer
    /// that has passed its expiry is reloaded from its interval, or reads as disarmed.
    public mutating func get(_ which: Int, now: Int64) -> (interval: Int64, value: Int64) {
        var t = timers[which]
        guard let expiry = t.expiry else { return (t.intervalMicroseconds, 0) }
        var left = expiry - now
        if left <= 0 {
            let period = t.intervalMicroseconds * 1000
            guard period > 0 else { timers[which].expiry = nil; return (0, 0) }
            left = period - (-left) % period
            t.expiry = now + left
            timers[which] = t
        }
        return (t.intervalMicroseconds, (left + 999) / 1000)  // rounded up: a running timer never reads 0
    }

    /// setitimer: arms (value > 0) or disarms (value 0) a timer; returns the old setting.
    public mutating func set(_ which: Int, interval: Int64, value: Int64, now: Int64) -> (interval: Int64, value: Int64) {
        let old = get(which, now: now)
        timers[which] = Timer(intervalMicroseconds: value > 0 ? interval : 0, expiry: value > 0 ? now + value * 1000 : nil)
        return old
    }

    /// alarm(2): ITIMER_REAL as a one-shot of `seconds`; returns the seconds left on the old one,
    /// rounded to nearest, and at least 1 if any time was left (the kernel's alarm_setitimer).
    public mutating func alarm(_ seconds: UInt32, now: Int64) -> Int64 {
        let old = set(0, interval: 0, value: Int64(seconds) * 1_000_000, now: now)
        var s = old.value / 1_000_000
        let us = old.value % 1_000_000
        if (s == 0 && us > 0) || us >= 500_000 { s += 1 }
        return s
    }

    /// The earliest armed expiry of ITIMER_REAL (ns, monotonic).
    public var nextExpiry: Int64? { timers[0].expiry }
}
