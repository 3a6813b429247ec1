#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// The /proc/self files that must describe the guest rather than lpar, answered by lpar as
/// qemu-ppc64 does: opening one gives a private in-memory file (a memfd) holding the text, built
/// at open time. `exe` opens the program itself (readlink of it is in FileSyscalls). Other
/// /proc paths are the host's.
extension LinuxProcess {
    enum ProcSelfFile: String { case cmdline, maps, stat, status, exe }

    /// /proc/self/NAME, /proc/thread-self/NAME or /proc/<our pid>/NAME.
    func procSelfFile(_ path: String) -> ProcSelfFile? {
        for prefix in ["/proc/self/", "/proc/thread-self/", "/proc/\(getpid())/"] where path.hasPrefix(prefix) {
            return ProcSelfFile(rawValue: String(path.dropFirst(prefix.count)))
        }
        return nil
    }

    /// open(2) of a /proc/self file: read-only, as the kernel's are (EACCES otherwise).
    func openProcSelf(_ file: ProcSelfFile, flags: UInt64) throws(Errno) -> Int64 {
        if file == .exe {
            let h = Glibc.open(executablePath, Self.hostOpenFlags(Int32(truncatingIfNeeded: flags)) & ~O_CREAT)
            guard h >= 0 else { throw Errno.host }
            return try newGuestFD(for: h)
        }
        guard flags & 3 == 0 else { throw Errno.EACCES }
        let bytes = procSelfContents(file)
        let h = Int32(try check("lpar-proc".withCString { HostSyscall.call(HostSyscall.memfdCreate, Int(bitPattern: $0), flags & 0o2000000 != 0 ? 1 : 0) }))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(h, $0.baseAddress! + done, $0.count - done) }
            guard n > 0 else { close(h); throw Errno.EIO }
            done += n
        }
        lseek(h, 0, SEEK_SET)
        return try newGuestFD(for: h)
    }

    func procSelfContents(_ file: ProcSelfFile) -> [UInt8] {
        switch file {
        case .cmdline: return arguments.flatMap { Array($0.utf8) + [0] }
        case .maps: return Array(ProcMaps.text(mapsEntries()).utf8)
        case .stat: return Array(procStat().utf8)
        case .status: return Array(procStatus().utf8)
        case .exe: return []
        }
    }

    /// The guest's mappings, lowest first, from `addressSpace`: the ELF's PT_LOAD segments
    /// (their file part named by the program, a bss beyond it anonymous), the brk heap, the
    /// mmap regions, the vDSO page and the stack, each with its protection.
    public func mapsEntries() -> [ProcMaps.Entry] {
        var st = Glibc.stat()
        let identity = fstatat(AT_FDCWD, executablePath, &st, 0) == 0 ? (dev: UInt64(st.st_dev), inode: UInt64(st.st_ino)) : (dev: 0, inode: 0)
        let entries: [ProcMaps.Entry] = addressSpace.areas.map { r in
            switch r.kind {
            case .file(let offset):
                return .init(start: r.start, end: r.end, prot: r.prot, offset: offset, device: identity.dev, inode: identity.inode, name: executablePath)
            case .heap: return .init(start: r.start, end: r.end, prot: r.prot, name: "[heap]")
            case .stack: return .init(start: r.start, end: r.end, prot: r.prot, name: "[stack]")
            case .vdso: return .init(start: r.start, end: r.end, prot: r.prot, name: "[vdso]")
            case .anonymous: return .init(start: r.start, end: r.end, prot: r.prot)
            }
        }
        return ProcMaps.split(entries, by: [:])
    }

    /// The kernel's 52 fields (fs/proc/array.c do_task_stat): the values lpar knows, 0 for the
    /// rest (faults, wait channel).
    func procStat() -> String {
        var t = tms()
        Glibc.times(&t)
        let nice = Int(getpriority(__priority_which_t(0), 0))
        let entries = mapsEntries()
        let vsize = entries.reduce(UInt64(0)) { $0 + $1.end - $1.start }
        let text = program.segments.first { $0.flags & 1 != 0 }, data = program.segments.first { $0.flags & 2 != 0 }
        let (argStart, argEnd) = stringsExtent(initialStack?.argvAddress, arguments)
        let (envStart, envEnd) = stringsExtent(initialStack?.envpAddress, environment)
        let (ignored, caught) = signalDispositions()
        let host = hostStatFields()
        let fields: [String] = [
            String(getpid()), "(\(commName))", "R", String(getppid()), String(getpgrp()), String(getsid(0)), "0", "-1", "0",
            "0", "0", "0", "0", String(t.tms_utime), String(t.tms_stime), "0", "0", String(20 + nice), String(nice), String(threads.liveCount), "0",
            host.count > 21 ? host[21] : "0", String(vsize), String(residentPages(host)), "18446744073709551615",
            String(text?.address ?? 0), String((text?.address ?? 0) + (text?.fileSize ?? 0)), String(initialStack?.stackPointer ?? 0),
            "0", "0", String(pendingSignals | threadPendingSignals), String(signalMask), String(ignored), String(caught), "0", "0", "0", "17", "0", "0", "0",
            "0", "0", "0", String(data?.address ?? 0), String((data?.address ?? 0) + (data?.fileSize ?? 0)), String(addressSpace.brkStart),
            String(argStart), String(argEnd), String(envStart), String(envEnd), "0",
        ]
        return fields.joined(separator: " ") + "\n"
    }

    /// The kernel's /proc/PID/status, first lines (fs/proc/array.c): identity, memory sizes
    /// from the guest's mappings, the live threads, signal masks.
    func procStatus() -> String {
        let mask = umask(0)
        umask(mask)
        let entries = mapsEntries()
        func kB(_ bytes: UInt64) -> String { let s = String(bytes >> 10); return String(repeating: " ", count: max(0, 8 - s.count)) + s + " kB" }
        let size = entries.reduce(UInt64(0)) { $0 + $1.end - $1.start }
        let stack = entries.filter { $0.name == "[stack]" }.reduce(UInt64(0)) { $0 + $1.end - $1.start }
        let exe = entries.filter { $0.prot & 4 != 0 }.reduce(UInt64(0)) { $0 + $1.end - $1.start }
        let data = entries.filter { $0.prot & 2 != 0 && $0.name != "[stack]" }.reduce(UInt64(0)) { $0 + $1.end - $1.start }
        var groups = [gid_t](repeating: 0, count: 64)
        let ngroups = max(0, Int(getgroups(64, &groups)))
        let (ignored, caught) = signalDispositions()
        func hex(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        let lines = [
            "Name:\t\(commName)", "Umask:\t0" + String(mask, radix: 8).leftPadded(3), "State:\tR (running)", "Tgid:\t\(getpid())", "Ngid:\t0",
            "Pid:\t\(getpid())", "PPid:\t\(getppid())", "TracerPid:\t0", "Uid:\t\(getuid())\t\(geteuid())\t\(geteuid())\t\(geteuid())",
            "Gid:\t\(getgid())\t\(getegid())\t\(getegid())\t\(getegid())", "FDSize:\t\(max(64, (files.keys.max() ?? 0) + 1))",
            "Groups:\t" + groups.prefix(ngroups).map { "\($0) " }.joined(),
            "VmPeak:\t\(kB(size))", "VmSize:\t\(kB(size))", "VmData:\t\(kB(data))", "VmStk:\t\(kB(stack))", "VmExe:\t\(kB(exe))",
            "VmLib:\t\(kB(0))", "Threads:\t\(threads.liveCount)", "SigPnd:\t\(hex(threadPendingSignals))", "ShdPnd:\t\(hex(pendingSignals))", "SigBlk:\t\(hex(signalMask))",
            "SigIgn:\t\(hex(ignored))", "SigCgt:\t\(hex(caught))",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// lpar's resident size (host field 24, host pages) in the guest's 64 KiB pages.
    func residentPages(_ host: [String]) -> UInt64 {
        guard host.count > 23, let pages = UInt64(host[23]) else { return 0 }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE))) / AddressSpace.pageSize
    }

    /// Signals whose action is SIG_IGN, and those with a handler, as bit n-1 masks.
    func signalDispositions() -> (ignored: UInt64, caught: UInt64) {
        var ignored: UInt64 = 0, caught: UInt64 = 0
        for (sig, action) in signalActions where sig >= 1 && sig <= 64 {
            switch BE.word(action, 0) {
            case 0: break
            case 1: ignored |= 1 << UInt64(sig - 1)
            default: caught |= 1 << UInt64(sig - 1)
            }
        }
        return (ignored, caught)
    }

    /// Where the initial stack's strings of argv (or envp) lie: from the first string to the
    /// end of the last one (arg_start/arg_end, env_start/env_end).
    func stringsExtent(_ vector: UInt64?, _ strings: [String]) -> (UInt64, UInt64) {
        guard let vector, !strings.isEmpty, let first = memory.load64(vector) else { return (0, 0) }
        return (first, first + UInt64(strings.reduce(0) { $0 + $1.utf8.count + 1 }))
    }

    /// The host's own /proc/self/stat fields (for the start time and resident size lpar cannot
    /// know otherwise), split after the command name.
    func hostStatFields() -> [String] {
        let fd = Glibc.open("/proc/self/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 2048)
        let n = Glibc.read(fd, &buf, buf.count)
        guard n > 0 else { return [] }
        let text = String(decoding: buf[0..<n], as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return [] }
        // Fields 1 and 2 are pid and (comm); the rest follow the parenthesis.
        return ["", ""] + text[text.index(after: close)...].split(separator: " ").map { String($0).trimmingNewline }
    }
}

/// /proc/PID/maps lines as the kernel prints them (fs/proc/task_mmu.c show_map_vma): start-end
/// in at least 8 hex digits, rwx and p (private), the file offset in 8 hex digits, the device as
/// major:minor in 2 hex digits each, the inode in decimal; a name, when there is one, starts
/// in column 73 (the header is padded to 72 characters, then one space).
public enum ProcMaps {
    public struct Entry: Equatable, Sendable {
        public var start, end: UInt64
        /// PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4.
        public var prot: UInt8
        public var offset: UInt64 = 0, device: UInt64 = 0, inode: UInt64 = 0
        public var name: String = ""
        public init(start: UInt64, end: UInt64, prot: UInt8, offset: UInt64 = 0, device: UInt64 = 0, inode: UInt64 = 0, name: String = "") {
            self.start = start; self.end = end; self.prot = prot; self.offset = offset; self.device = device; self.inode = inode; self.name = name
        }
    }

    public static func line(_ e: Entry) -> String {
        func hex(_ v: UInt64, _ width: Int) -> String { String(v, radix: 16).leftPadded(width) }
        let perms = (e.prot & 1 != 0 ? "r" : "-") + (e.prot & 2 != 0 ? "w" : "-") + (e.prot & 4 != 0 ? "x" : "-") + "p"
        var s = "\(hex(e.start, 8))-\(hex(e.end, 8)) \(perms) \(hex(e.offset, 8)) \(hex(UInt64(StatLayout.major(e.device)), 2)):\(hex(UInt64(StatLayout.minor(e.device)), 2)) \(e.inode) "
        if !e.name.isEmpty {
            if s.utf8.count < 72 { s += String(repeating: " ", count: 72 - s.utf8.count) }
            s += " " + e.name
        }
        return s
    }

    public static func text(_ entries: [Entry]) -> String { entries.map { line($0) + "\n" }.joined() }

    /// Splits entries where recorded page protections differ from the entry's own (mprotect of
    /// part of a mapping makes two VMAs in the kernel), then merges neighbouring anonymous,
    /// unnamed entries with equal protection (as the kernel merges VMAs).
    public static func split(_ entries: [Entry], by protections: [UInt64: UInt8]) -> [Entry] {
        let page = AddressSpace.pageSize
        var out: [Entry] = []
        for e in entries {
            guard !protections.isEmpty, protections.keys.contains(where: { $0 >= e.start / page && $0 < e.end / page }) else { out.append(e); continue }
            var piece = e
            piece.prot = protections[e.start / page] ?? e.prot
            var a = e.start + page
            while a < e.end {
                let prot = protections[a / page] ?? e.prot
                if prot != piece.prot {
                    piece.end = a
                    out.append(piece)
                    piece = e
                    piece.start = a
                    piece.offset = e.inode != 0 ? e.offset + (a - e.start) : 0
                    piece.prot = prot
                }
                a += page
            }
            piece.end = e.end
            out.append(piece)
        }
        var merged: [Entry] = []
        for e in out {
            if var last = merged.last, last.end == e.start, last.prot == e.prot, last.inode == 0, e.inode == 0, last.name.isEmpty, e.name.isEmpty {
                last.end = e.end
                merged[merged.count - 1] = last
            } else {
                merged.append(e)
            }
        }
        return merged
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
    var trimmingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
