#if canImport(Glibc)
import Glibc
#endif

/// A guest memory access that did not reach mapped guest memory. A value, never a host crash.
public struct MemoryFault: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable { case load, store, fetch }
    public let address: UInt64
    public let size: UInt64
    public let kind: Kind
    public init(address: UInt64, size: UInt64, kind: Kind) {
        self.address = address; self.size = size; self.kind = kind
    }
    public var description: String {
        "\(kind) of \(size) byte\(size == 1 ? "" : "s") at 0x\(String(address, radix: 16)) is outside guest memory"
    }
}

/// Errors building the address space; each describes itself in one line for the user.
public enum GuestMemoryError: Error, CustomStringConvertible, Equatable {
    case badSize(UInt64)
    case deviceRegionTooLarge(UInt64)
    case reservationFailed(UInt64, errno: Int32)
    case windowOutsideDeviceRegion(UInt64, UInt64)
    case windowOverlaps(UInt64, UInt64)
    case mapFailed(errno: Int32)

    public var description: String {
        switch self {
        case .badSize(let s): return "guest memory size \(s) bytes is not usable (need a multiple of 64 KiB, at least 1 MiB, at most 1 TiB)"
        case .deviceRegionTooLarge(let s): return "the NVDIMMs need \(s) bytes of device memory; RAM and NVDIMMs together must fit in 64 TiB"
        case .reservationFailed(let s, let e): return "cannot reserve \(s) bytes of host address space for the guest: \(String(cString: strerror(e)))"
        case .windowOutsideDeviceRegion(let a, let l): return "window 0x\(String(a, radix: 16))+0x\(String(l, radix: 16)) lies outside the device-memory region"
        case .windowOverlaps(let a, let l): return "window 0x\(String(a, radix: 16))+0x\(String(l, radix: 16)) overlaps an existing mapping"
        case .mapFailed(let e): return "mmap of a guest window failed: \(String(cString: strerror(e)))"
        }
    }
}

/// The guest's physical address space: one host reservation made with `MAP_NORESERVE`, so a guest
/// address is a host address after one bounds check.
///
/// Layout (as QEMU's pseries machine lays it out):
/// - RAM at `[0, ramSize)`, readable and writable;
/// - the device-memory region at `[deviceBase, deviceBase + deviceSize)` with
///   `deviceBase = roundUp(ramSize, 1 GiB)`; inaccessible until a window (an NVDIMM's bound SCM
///   blocks, a shared file mapping) is mapped into it.
///
/// Accesses inside RAM take one compare; anything else goes through the window list.
public final class GuestMemory {
    public static let deviceAlignment: UInt64 = 1 << 30
    public static let pageShift: UInt64 = 12

    /// Host address of guest physical address 0.
    public let base: UnsafeMutableRawPointer
    public let ramSize: UInt64
    /// Guest addresses below this are not mapped although they lie in RAM: a Linux program's
    /// first 64 KiB (Linux's mmap_min_addr), so that a NULL dereference faults as it does
    /// there. 0 for PAPR guests, whose real mode starts at address 0.
    public private(set) var nullGuard: UInt64 = 0

    /// Makes `[0, bytes)` unmapped (see `nullGuard`); the interpreter must be created after.
    public func unmapLowMemory(_ bytes: UInt64) { nullGuard = min(bytes, ramSize) }
    public let deviceBase: UInt64
    public let deviceSize: UInt64
    public var arenaSize: UInt64 { deviceBase + deviceSize }

    /// A mapped range of the device-memory region.
    public struct Window: Equatable, Sendable {
        public let start: UInt64
        public let length: UInt64
        /// False for a read-only NVDIMM's bindings: the host mapping is read-only too, so every
        /// store path checks this before touching it (a guest store there is a guest fault).
        public let writable: Bool
        public var end: UInt64 { start + length }
    }
    public private(set) var windows: [Window] = []

    /// One byte per 4 KiB page of RAM, non-zero when a write to the page must be told: bit 0
    /// (`PageFlag.code`), the interpreter holds predecoded instructions of it; bit 1
    /// (`PageFlag.watched`), its first write since it was armed goes to `pageWriteWatcher`.
    /// Every store checks the byte (one load in the engine's fast path) and takes the slow path
    /// only when it is set.
    ///
    /// A Linux process's protections live in the same byte (`enforceProtections`), as bits
    /// that deny: a store already takes the slow path when the byte is non-zero, so "no write"
    /// costs stores nothing new; the engine's loads test `noRead` only for a Linux process.
    public let codePageFlags: UnsafeMutablePointer<UInt8>
    public enum PageFlag {
        public static let code: UInt8 = 1
        public static let watched: UInt8 = 2
        /// Linux processes only (never set for a PAPR guest): loads fault (unmapped, PROT_NONE).
        public static let noRead: UInt8 = 4
        /// Stores fault (unmapped, or mapped without PROT_WRITE).
        public static let noWrite: UInt8 = 8
        /// Instructions may be fetched here (PROT_EXEC). A permission, not a denial, so that an
        /// ordinary read-write data page keeps a zero byte and its stores the fast path.
        public static let executable: UInt8 = 16
        /// Nothing is mapped here (SEGV_MAPERR rather than SEGV_ACCERR).
        public static let unmapped: UInt8 = 32
        public static let protection: UInt8 = noRead | noWrite | executable | unmapped
        /// The next 4 KiB page denies loads: the engine tests only the page of a load's first
        /// byte, and a load that may cross into an unreadable page takes the slow path, which
        /// checks every page. (Loads then cost one flag-byte test, not two.)
        public static let nextNoRead: UInt8 = 64
    }
    /// True once `enforceProtections` made RAM follow per-page permissions (a Linux process).
    /// Every checked access of this class (`pointer`, `writablePointer`, the scalar loads and
    /// stores, `read`, `write`) then honours them; `rawPointer` and `unprotected` do not.
    public private(set) var enforcesProtections = false
    /// Called for every page flagged as code that a bulk write (`write(_:at:)`) touches.
    public var codeWriteObserver: ((UInt64) -> Void)?
    /// Called with the page number of the first write to each watched page (gdb's reverse
    /// execution records what changed this way); the page's watch is then off.
    public var pageWriteWatcher: ((Int) -> Void)?

    public init(ramSize: UInt64, deviceSize: UInt64 = 0) throws {
        guard ramSize >= 1 << 20, ramSize % (64 << 10) == 0, ramSize <= 1 << 40 else {
            throw GuestMemoryError.badSize(ramSize)
        }
        let deviceBase = (ramSize + Self.deviceAlignment - 1) / Self.deviceAlignment * Self.deviceAlignment
        // Overflow-checked: deviceSize comes from user-given NVDIMM sizes.
        let (total, overflow) = deviceBase.addingReportingOverflow(deviceSize)
        guard !overflow, total <= 1 << 46 else { throw GuestMemoryError.deviceRegionTooLarge(deviceSize) }
        let p = mmap(nil, Int(total), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw GuestMemoryError.reservationFailed(total, errno: errno) }
        guard mprotect(p, Int(ramSize), PROT_READ | PROT_WRITE) == 0 else {
            let e = errno
            munmap(p, Int(total))
            throw GuestMemoryError.reservationFailed(ramSize, errno: e)
        }
        self.base = p
        self.ramSize = ramSize
        self.deviceBase = deviceBase
        self.deviceSize = deviceSize
        codePageFlags = Self.zeroedTable(count: Int(ramSize >> Self.pageShift))
    }

    deinit {
        munmap(base, Int(arenaSize))
        Self.freeTable(codePageFlags, count: Int(ramSize >> Self.pageShift))
    }

    /// A zero-filled table that costs only the pages written: per-4K-page tables of a 1 TiB guest
    /// are 256 MiB (flags) and 2 GiB (predecode pointers), which allocate + initialize would touch
    /// up front. calloc maps large blocks fresh (already zero, so not cleared) and, unlike a
    /// bare mmap, stays visible to LeakSanitizer. Zero bytes are 0 flags and nil pointers.
    public static func zeroedTable<T>(count: Int, of: T.Type = T.self) -> UnsafeMutablePointer<T> {
        guard let p = calloc(max(count, 1), MemoryLayout<T>.stride) else {
            fatalError("cannot allocate a table of \(count) entries: \(String(cString: strerror(errno)))")
        }
        return p.bindMemory(to: T.self, capacity: max(count, 1))
    }
    public static func freeTable<T>(_ p: UnsafeMutablePointer<T>, count: Int) { free(p) }

    // MARK: - Range checks

    /// True when `[address, address + size)` is RAM or lies inside one mapped window (and,
    /// under `enforceProtections`, every page of it is readable). Overflow-safe for any 64-bit
    /// address and size.
    @inlinable
    public func isMapped(_ address: UInt64, _ size: UInt64) -> Bool {
        if size <= ramSize && address <= ramSize &- size && address >= nullGuard {
            return !enforcesProtections || permits(address, size, PageFlag.noRead)
        }
        return windowContains(address, size)
    }

    /// No page of `[address, address + size)` (inside RAM) has any of the `deny` bits.
    @usableFromInline
    func permits(_ address: UInt64, _ size: UInt64, _ deny: UInt8) -> Bool {
        guard size > 0 else { return true }
        var page = Int(address >> Self.pageShift)
        let last = Int((address &+ size &- 1) >> Self.pageShift)
        while page <= last {
            if codePageFlags[page] & deny != 0 { return false }
            page += 1
        }
        return true
    }

    @usableFromInline
    func windowContains(_ address: UInt64, _ size: UInt64, forStore: Bool = false) -> Bool {
        for w in windows where address >= w.start && size <= w.length && address - w.start <= w.length - size {
            return w.writable || !forStore
        }
        return false
    }

    /// True when every byte of the range can be stored to: RAM or a writable window.
    @inlinable
    public func isWritable(_ address: UInt64, _ size: UInt64) -> Bool {
        if size <= ramSize && address <= ramSize &- size && address >= nullGuard {
            return !enforcesProtections || permits(address, size, PageFlag.noWrite)
        }
        return windowContains(address, size, forStore: true)
    }

    /// Host pointer for a checked store, or nil when any byte of it is unmapped or read-only.
    @inlinable @inline(__always)
    public func writablePointer(_ address: UInt64, _ size: UInt64) -> UnsafeMutableRawPointer? {
        if size <= ramSize && address <= ramSize &- size && address >= nullGuard {
            return !enforcesProtections || permits(address, size, PageFlag.noWrite) ? base + Int(address) : nil
        }
        return windowContains(address, size, forStore: true) ? base + Int(address) : nil
    }

    /// Host pointer for a checked access, or nil when any byte of it is unmapped (or, under
    /// `enforceProtections`, not readable).
    @inlinable @inline(__always)
    public func pointer(_ address: UInt64, _ size: UInt64) -> UnsafeMutableRawPointer? {
        if size <= ramSize && address <= ramSize &- size && address >= nullGuard {
            return !enforcesProtections || permits(address, size, PageFlag.noRead) ? base + Int(address) : nil
        }
        return windowContains(address, size) ? base + Int(address) : nil
    }

    /// Host pointer for lpar's own access to a guest range (a loader, the kernel side of a
    /// Linux process filling a new mapping, the debugger): bounds checked, protections and the
    /// null guard ignored.
    public func rawPointer(_ address: UInt64, _ size: UInt64) -> UnsafeMutableRawPointer? {
        if size <= ramSize && address <= ramSize &- size { return base + Int(address) }
        return windowContains(address, size) ? base + Int(address) : nil
    }

    // MARK: - Protections (Linux processes)

    /// From now on RAM follows per-page permissions, and every page is unmapped until
    /// `setAccess` maps it. For a Linux process, before its first instruction.
    public func enforceProtections() {
        enforcesProtections = true
        let count = Int(ramSize >> Self.pageShift)
        for i in 0..<count {
            codePageFlags[i] = codePageFlags[i] & ~(PageFlag.protection | PageFlag.nextNoRead) | PageFlag.noRead | PageFlag.noWrite | PageFlag.unmapped
                | (i + 1 < count ? PageFlag.nextNoRead : 0)
        }
    }

    /// Sets the permissions of every 4 KiB page of `[start, end)` (clipped to RAM): `mapped`
    /// false unmaps. Predecoded instructions of pages that can no longer be executed are
    /// forgotten (the interpreter checks execute permission only when it decodes).
    public func setAccess(_ start: UInt64, _ end: UInt64, read: Bool, write: Bool, execute: Bool, mapped: Bool = true) {
        guard enforcesProtections, start < end, start < ramSize else { return }
        var bits: UInt8 = 0
        if !mapped { bits = PageFlag.noRead | PageFlag.noWrite | PageFlag.unmapped } else {
            if !read { bits |= PageFlag.noRead }
            if !write { bits |= PageFlag.noWrite }
            if execute { bits |= PageFlag.executable }
        }
        let first = Int(start >> Self.pageShift), last = Int((min(end, ramSize) - 1) >> Self.pageShift)
        for page in first...last {
            let old = codePageFlags[page]
            codePageFlags[page] = old & ~PageFlag.protection | bits
            if old & PageFlag.code != 0 && bits & PageFlag.executable == 0 { codeWriteObserver?(UInt64(page)) }
        }
        // The pages before these and the last of them learn whether their next page is readable.
        let count = Int(ramSize >> Self.pageShift)
        for page in max(first - 1, 0)...last {
            let next = page + 1 < count && codePageFlags[page + 1] & PageFlag.noRead != 0
            codePageFlags[page] = codePageFlags[page] & ~PageFlag.nextNoRead | (next ? PageFlag.nextNoRead : 0)
        }
    }

    /// Why a `size`-byte access of `kind` at `address` faults under `enforceProtections`:
    /// the first byte of the first page that denies it, and whether nothing is mapped there
    /// (SEGV_MAPERR) or the page's permissions forbid it (SEGV_ACCERR). nil when it would not
    /// fault for a protection (it may still lie outside RAM: the caller's own check).
    public func denial(_ address: UInt64, _ size: UInt64, _ kind: MemoryFault.Kind) -> (address: UInt64, unmapped: Bool)? {
        guard enforcesProtections else { return nil }
        let deny = kind == .load ? PageFlag.noRead : kind == .store ? PageFlag.noWrite : 0
        let size = max(size, 1)
        var page = address >> Self.pageShift
        let last = (address &+ size &- 1) >> Self.pageShift
        guard last >= page else { return (address, true) }  // wraps past the top of memory
        while page <= last {
            let at = max(address, page << Self.pageShift)
            if page >= ramSize >> Self.pageShift || at < nullGuard { return (at, true) }
            let flags = codePageFlags[Int(page)]
            if flags & deny != 0 || (kind == .fetch && flags & PageFlag.executable == 0) { return (at, flags & PageFlag.unmapped != 0) }
            page += 1
        }
        return nil
    }

    /// Runs `body` with protections off (the debugger's reads and writes, which may patch
    /// read-only text as a ptrace poke does).
    public func unprotected<T>(_ body: () throws -> T) rethrows -> T {
        let was = enforcesProtections
        enforcesProtections = false
        defer { enforcesProtections = was }
        return try body()
    }

    // MARK: - Big-endian scalar access (nil / false on fault)

    @inlinable @inline(__always)
    public func load8(_ a: UInt64) -> UInt8? {
        guard let p = pointer(a, 1) else { return nil }
        return p.load(as: UInt8.self)
    }
    @inlinable @inline(__always)
    public func load16(_ a: UInt64) -> UInt16? {
        guard let p = pointer(a, 2) else { return nil }
        return UInt16(bigEndian: p.loadUnaligned(as: UInt16.self))
    }
    @inlinable @inline(__always)
    public func load32(_ a: UInt64) -> UInt32? {
        guard let p = pointer(a, 4) else { return nil }
        return UInt32(bigEndian: p.loadUnaligned(as: UInt32.self))
    }
    @inlinable @inline(__always)
    public func load64(_ a: UInt64) -> UInt64? {
        guard let p = pointer(a, 8) else { return nil }
        return UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
    }

    /// Stores return false on fault. They do not consult `codePageFlags`: the engine does that
    /// itself (telling the whole page's predecode cache here cost the translated loop dearly);
    /// the hypervisor's writers call `noteWrite` (RTAS results, the VPA).
    @inlinable @inline(__always) @discardableResult
    public func store8(_ a: UInt64, _ v: UInt8) -> Bool {
        guard let p = writablePointer(a, 1) else { return false }
        p.storeBytes(of: v, as: UInt8.self); return true
    }
    @inlinable @inline(__always) @discardableResult
    public func store16(_ a: UInt64, _ v: UInt16) -> Bool {
        guard let p = writablePointer(a, 2) else { return false }
        p.storeBytes(of: v.bigEndian, toByteOffset: 0, as: UInt16.self); return true
    }
    @inlinable @inline(__always) @discardableResult
    public func store32(_ a: UInt64, _ v: UInt32) -> Bool {
        guard let p = writablePointer(a, 4) else { return false }
        p.storeBytes(of: v.bigEndian, toByteOffset: 0, as: UInt32.self); return true
    }
    @inlinable @inline(__always) @discardableResult
    public func store64(_ a: UInt64, _ v: UInt64) -> Bool {
        guard let p = writablePointer(a, 8) else { return false }
        p.storeBytes(of: v.bigEndian, toByteOffset: 0, as: UInt64.self); return true
    }

    // MARK: - Bulk access for loaders, hcalls and syscalls

    /// Copies guest bytes out. The whole range is checked before anything is read.
    public func read(_ address: UInt64, count: Int) throws(MemoryFault) -> [UInt8] {
        guard count >= 0, let p = pointer(address, UInt64(count)) else {
            throw MemoryFault(address: address, size: UInt64(max(count, 0)), kind: .load)
        }
        return Array(UnsafeRawBufferPointer(start: p, count: count))
    }

    /// Reads a NUL-terminated string of at most `limit` bytes.
    public func readCString(_ address: UInt64, limit: Int = 4096) throws(MemoryFault) -> [UInt8] {
        var out: [UInt8] = []
        var a = address
        while out.count < limit {
            guard let b = load8(a) else { throw MemoryFault(address: a, size: 1, kind: .load) }
            if b == 0 { return out }
            out.append(b)
            a &+= 1
        }
        return out
    }

    /// Copies bytes into guest memory. The whole range is checked before a byte is written, so a
    /// failed write changes nothing.
    public func write<C: Collection>(_ bytes: C, at address: UInt64) throws(MemoryFault) where C.Element == UInt8 {
        let n = UInt64(bytes.count)
        guard let p = writablePointer(address, n) else { throw MemoryFault(address: address, size: n, kind: .store) }
        var q = p
        for b in bytes { q.storeBytes(of: b, as: UInt8.self); q += 1 }
        noteWrite(address, n)
    }

    /// Fills a guest range with zero bytes (checked first, like `write`).
    public func zero(_ address: UInt64, count: UInt64) throws(MemoryFault) {
        guard let p = writablePointer(address, count) else { throw MemoryFault(address: address, size: count, kind: .store) }
        memset(p, 0, Int(count))
        noteWrite(address, count)
    }

    /// Tells the predecode cache about a bulk write that touched code pages, and the watcher
    /// about the first write to a watched page.
    public func noteWrite(_ address: UInt64, _ count: UInt64) {
        guard count > 0, address < ramSize else { return }
        let last = min(address + count - 1, ramSize - 1)
        var page = address >> Self.pageShift
        while page <= last >> Self.pageShift {
            let flags = codePageFlags[Int(page)]
            if flags & PageFlag.watched != 0 { takeWatch(Int(page)) }
            if flags & PageFlag.code != 0 { codeWriteObserver?(page) }
            page += 1
        }
    }

    /// A watched page is written: its watch goes off and the watcher hears of it once.
    @inline(never)
    public func takeWatch(_ page: Int) {
        codePageFlags[page] &= ~PageFlag.watched
        pageWriteWatcher?(page)
    }

    /// Watches `page` again for its next first write.
    public func watch(_ page: Int) { codePageFlags[page] |= PageFlag.watched }

    // MARK: - Windows (file mappings in the device-memory region)

    /// Maps `length` bytes of `fd` at `fileOffset` to guest address `start` (shared, so guest
    /// stores reach the file). `start`, `length` and `fileOffset` must be page-aligned.
    public func mapWindow(start: UInt64, length: UInt64, fd: Int32, fileOffset: UInt64, writable: Bool) throws(GuestMemoryError) {
        guard start >= deviceBase, length > 0, start - deviceBase <= deviceSize, length <= deviceSize - (start - deviceBase) else {
            throw .windowOutsideDeviceRegion(start, length)
        }
        for w in windows where start < w.end && w.start < start + length {
            throw .windowOverlaps(start, length)
        }
        let prot = writable ? PROT_READ | PROT_WRITE : PROT_READ
        let p = mmap(base + Int(start), Int(length), prot, MAP_SHARED | MAP_FIXED, fd, off_t(fileOffset))
        guard p != MAP_FAILED else { throw .mapFailed(errno: errno) }
        windows.append(Window(start: start, length: length, writable: writable))
        windows.sort { $0.start < $1.start }
    }

    /// Removes every window byte in `[start, start + length)`, making it fault again. Windows
    /// partly inside the range are split.
    public func unmapWindows(start: UInt64, length: UInt64) {
        let end = start + length
        var kept: [Window] = []
        for w in windows {
            if w.end <= start || w.start >= end { kept.append(w); continue }
            if w.start < start { kept.append(Window(start: w.start, length: start - w.start, writable: w.writable)) }
            if w.end > end { kept.append(Window(start: end, length: w.end - end, writable: w.writable)) }
            let cutStart = max(w.start, start), cutEnd = min(w.end, end)
            // Replace the file mapping with an inaccessible reservation: the range stays ours.
            _ = mmap(base + Int(cutStart), Int(cutEnd - cutStart), PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0)
        }
        windows = kept
    }

    /// msync of the mapped part of `[start, start + length)`.
    public func syncWindows(start: UInt64, length: UInt64) -> Bool {
        var ok = true
        for w in windows where w.start < start + length && start < w.end {
            let s = max(w.start, start), e = min(w.end, start + length)
            if msync(base + Int(s), Int(e - s), MS_SYNC) != 0 { ok = false }
        }
        return ok
    }
}
