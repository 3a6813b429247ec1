#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// A guest store into a bound NVDIMM block reaches a shared mapping of the backing file. When
/// the file system cannot take the page (disk full, quota) or another process truncated the
/// file, the kernel sends SIGBUS, which would kill lpar with no explanation. This handler turns
/// a SIGBUS inside the guest's device-memory region into one line and exit 74 (EX_IOERR).
/// Anything else is not lpar's to explain: the default action runs.
public enum HostFaults {
    public static let ioErrorStatus: Int32 = 74

    nonisolated(unsafe) static var regionStart: UInt = 0
    nonisolated(unsafe) static var regionEnd: UInt = 0
    nonisolated(unsafe) static var guestBase: UInt = 0
    /// The message, formatted in place by the handler (no allocation in a signal handler).
    nonisolated(unsafe) static var line = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)

    /// Watches `memory`'s device-memory region (one partition per process).
    public static func install(for memory: GuestMemory) {
        guestBase = UInt(bitPattern: memory.base)
        regionStart = guestBase + UInt(memory.deviceBase)
        regionEnd = guestBase + UInt(memory.arenaSize)
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in
            let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
            if address >= HostFaults.regionStart && address < HostFaults.regionEnd {
                HostFaults.report(guestAddress: UInt64(address - HostFaults.guestBase))
                _exit(HostFaults.ioErrorStatus)
            }
            signal(SIGBUS, SIG_DFL)   // not ours: returning re-runs the access and dies as before
        }
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        sigaction(SIGBUS, &action, nil)
    }

    /// Writes "lpar: NVDIMM backing file … at guest address 0x…" with write(2) only.
    static func report(guestAddress: UInt64) {
        var n = 0
        func put(_ s: StaticString) {
            s.withUTF8Buffer { for b in $0 where n < 150 { line[n] = b; n += 1 } }
        }
        put("lpar: an NVDIMM backing file could not take a guest access (disk full or file truncated?) at guest address 0x")
        var started = false
        for shift in stride(from: 60, through: 0, by: -4) {
            let digit = Int((guestAddress >> UInt64(shift)) & 0xF)
            if digit != 0 || started || shift == 0 {
                started = true
                line[n] = UInt8(digit < 10 ? 48 + digit : 87 + digit); n += 1
            }
        }
        line[n] = 10; n += 1
        _ = write(2, line, n)
    }
}
