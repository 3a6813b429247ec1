/// A Linux process's mappings: which pages of its address space exist and with which PROT_*
/// permissions, as the kernel's VMAs record them (guest addresses are the process's virtual
/// addresses: lpar has no MMU translation). Bookkeeping only: `LinuxProcess.sync` makes
/// `GuestMemory`'s page flags follow it, and the engine enforces those.
///
/// ```
/// 0 … image … [brk heap →]      …free…      [← mmap regions][guard gap][stack ↓] top
/// ```
/// The image's PT_LOAD segments keep their ELF permissions; the heap grows up from the page
/// after the image; mmap hands out regions top-down below the stack's guard gap, first fit;
/// the stack is the top `stackSize` bytes (RLIMIT_STACK), mapped read-write from the start,
/// with `guardGap` bytes below it that nothing is mapped into, so a stack overflow faults.
/// The heap and mmap regions never overlap (brk fails instead, and glibc's malloc then falls
/// back to mmap as it does under a real kernel). Everything is in 64 KiB pages, as ppc64 Linux.
public struct AddressSpace: Sendable, Equatable {
    public static let pageSize: UInt64 = 65536
    /// PROT_READ, PROT_WRITE, PROT_EXEC.
    public static let read: UInt8 = 1, write: UInt8 = 2, execute: UInt8 = 4
    /// Kept free below the stack (the kernel's stack_guard_gap is 256 pages; qemu-ppc64
    /// leaves one page): a frame larger than this can jump over it, as under the kernel.
    public static let guardGap: UInt64 = 1 << 20

    public enum Kind: Equatable, Sendable {
        /// The program's file, at this file offset at the area's start.
        case file(offset: UInt64)
        case anonymous
        case heap
        case stack
        /// The page holding the signal trampoline (the kernel's vDSO provides it).
        case vdso
    }

    /// One mapping [start, end), page-aligned, with its PROT_* bits.
    public struct Area: Equatable, Sendable {
        public var start: UInt64
        public var end: UInt64
        public var prot: UInt8
        public var kind: Kind
        public init(start: UInt64, end: UInt64, prot: UInt8, kind: Kind) {
            self.start = start; self.end = end; self.prot = prot; self.kind = kind
        }
    }

    /// Sorted by start, never overlapping; neighbours of one kind and protection are merged.
    public private(set) var areas: [Area] = []
    public let brkStart: UInt64
    public private(set) var brk: UInt64
    /// mmap regions are placed at or below this address.
    public let mmapTop: UInt64
    public let stackBottom: UInt64
    public let stackTop: UInt64
    /// At most this many bytes of heap, mmap regions and stack together (lpar's --memory):
    /// beyond it brk fails and mmap and mremap say ENOMEM, as at RLIMIT_AS.
    public var budget: UInt64 = .max

    /// The bytes the budget counts: the heap, the stack and the mmap regions.
    public var usedBytes: UInt64 {
        areas.reduce(0) { sum, r in
            r.kind == .heap || r.kind == .stack || (r.kind == .anonymous && r.start >= brkStart) ? sum + (r.end - r.start) : sum
        }
    }

    /// Whether `extra` more bytes stay within the budget.
    public func fits(_ extra: UInt64) -> Bool {
        let (total, overflow) = usedBytes.addingReportingOverflow(extra)
        return !overflow && total <= budget
    }

    /// An empty address space: nothing mapped but the stack [stackBottom, stackTop).
    public init(imageEnd: UInt64, stackBottom: UInt64, stackTop: UInt64? = nil) {
        brkStart = Self.roundUp(imageEnd)
        brk = brkStart
        self.stackBottom = stackBottom
        self.stackTop = stackTop ?? stackBottom
        mmapTop = stackBottom >= Self.guardGap ? stackBottom - Self.guardGap : 0
        if self.stackTop > stackBottom { map(stackBottom, self.stackTop, prot: Self.read | Self.write, kind: .stack) }
    }

    /// The address space a program starts with: its PT_LOAD segments with their permissions
    /// (p_flags PF_R 4, PF_W 2, PF_X 1; the file part named by the program, the bss beyond
    /// it anonymous; a page two segments share gets both permissions) and the stack.
    public init(program: ProgramInfo, stackBottom: UInt64, stackTop: UInt64) {
        self.init(imageEnd: program.imageEnd, stackBottom: stackBottom, stackTop: stackTop)
        var imageAreas: [Area] = []
        for s in program.segments.sorted(by: { $0.address < $1.address }) where s.memorySize > 0 {
            let prot = UInt8((s.flags & 4 != 0 ? 1 : 0) | (s.flags & 2 != 0 ? 2 : 0) | (s.flags & 1 != 0 ? 4 : 0))
            let start = Self.roundDown(s.address)
            let fileEnd = Self.roundUp(s.address + s.fileSize), memoryEnd = Self.roundUp(s.address + s.memorySize)
            var pieces: [Area] = []
            if fileEnd > start {
                pieces.append(Area(start: start, end: fileEnd, prot: prot, kind: .file(offset: Self.roundDown(s.fileOffset))))
            }
            if memoryEnd > max(fileEnd, start) { pieces.append(Area(start: max(fileEnd, start), end: memoryEnd, prot: prot, kind: .anonymous)) }
            for var piece in pieces {
                // A page the previous segment already holds keeps it, with both permissions.
                if let last = imageAreas.last, last.end > piece.start {
                    let shared = min(last.end, piece.end)
                    imageAreas[imageAreas.count - 1].prot |= prot
                    piece.start = shared
                    if case .file(let offset) = piece.kind { piece.kind = .file(offset: offset + (shared - start)) }
                    if piece.start >= piece.end { continue }
                }
                imageAreas.append(piece)
            }
        }
        for a in imageAreas { map(a.start, a.end, prot: a.prot, kind: a.kind) }
    }

    public static func roundUp(_ v: UInt64) -> UInt64 { (v &+ pageSize &- 1) & ~(pageSize - 1) }
    public static func roundDown(_ v: UInt64) -> UInt64 { v & ~(pageSize - 1) }

    // MARK: - Queries

    /// The area holding `address`, if any.
    public func area(containing address: UInt64) -> Area? {
        areas.first { $0.start <= address && address < $0.end }
    }

    /// True when no area overlaps [start, end).
    public func isFree(_ start: UInt64, _ end: UInt64) -> Bool { !areas.contains { $0.start < end && start < $0.end } }

    /// True when every page of [start, start + length) is mapped.
    public func isMapped(_ start: UInt64, _ length: UInt64) -> Bool {
        let end = start &+ Self.roundUp(length)
        guard end >= start else { return false }
        var a = start
        for r in areas where r.end > a {
            if r.start > a { return false }
            a = r.end
            if a >= end { return true }
        }
        return a >= end
    }

    /// The mmap regions (anonymous and vDSO areas outside the image), for tests and maps.
    public var regions: [(start: UInt64, end: UInt64)] {
        areas.filter { $0.kind == .anonymous && $0.start >= brkStart || $0.kind == .vdso }.map { ($0.start, $0.end) }
    }

    // MARK: - Changes (each leaves `areas` sorted and merged)

    /// Maps [start, end) (page-aligned) with `prot`, replacing whatever was there (MAP_FIXED).
    public mutating func map(_ start: UInt64, _ end: UInt64, prot: UInt8, kind: Kind) {
        guard end > start else { return }
        remove(start, end)
        let at = areas.firstIndex { $0.start >= end } ?? areas.count
        areas.insert(Area(start: start, end: end, prot: prot, kind: kind), at: at)
        merge()
    }

    /// munmap(2): drops every mapped page of [start, end).
    public mutating func remove(_ start: UInt64, _ end: UInt64) {
        guard end > start else { return }
        var kept: [Area] = []
        for r in areas {
            if r.end <= start || r.start >= end { kept.append(r); continue }
            if r.start < start { var left = r; left.end = start; kept.append(left) }
            if r.end > end { kept.append(Self.tail(of: r, from: end)) }
        }
        areas = kept
    }

    /// mprotect(2): false (ENOMEM) when part of [start, end) is not mapped, and nothing changes.
    public mutating func protect(_ start: UInt64, _ end: UInt64, prot: UInt8) -> Bool {
        guard end > start else { return true }
        guard isMapped(start, end - start) else { return false }
        var out: [Area] = []
        for r in areas {
            if r.end <= start || r.start >= end { out.append(r); continue }
            if r.start < start { var left = r; left.end = start; out.append(left) }
            var middle = Self.tail(of: r, from: max(r.start, start))
            middle.end = min(r.end, end)
            middle.prot = prot
            out.append(middle)
            if r.end > end { out.append(Self.tail(of: r, from: end)) }
        }
        areas = out
        merge()
        return true
    }

    /// brk(2): moves the break if the heap stays clear of every other mapping and below the
    /// mmap ceiling; returns the (possibly unchanged) break and the range that became newly
    /// valid (to be zeroed). The heap's pages follow: [brkStart, roundUp(brk)).
    public mutating func setBreak(_ new: UInt64) -> (brk: UInt64, grown: Range<UInt64>?) {
        guard new >= brkStart, new <= mmapTop else { return (brk, nil) }
        let newEnd = Self.roundUp(new)
        guard !areas.contains(where: { $0.kind != .heap && $0.start < newEnd && brkStart < $0.end }) else { return (brk, nil) }
        let oldEnd = Self.roundUp(brk)
        guard newEnd <= oldEnd || fits(newEnd - oldEnd) else { return (brk, nil) }
        let old = brk
        brk = new
        if newEnd > oldEnd { map(oldEnd, newEnd, prot: Self.read | Self.write, kind: .heap) }
        if newEnd < oldEnd { remove(newEnd, oldEnd) }
        return (brk, new > old ? old..<new : nil)
    }

    /// Finds room for `length` bytes (rounded to pages), highest first, below `mmapTop` and
    /// above the heap, and maps it anonymous with `prot`; nil when full.
    public mutating func allocate(_ length: UInt64, prot: UInt8 = read | write, kind: Kind = .anonymous) -> UInt64? {
        guard length > 0, length <= mmapTop else { return nil }
        let size = Self.roundUp(length)
        guard kind == .vdso || fits(size) else { return nil }
        var ceiling = mmapTop
        for r in areas.reversed() where r.start < ceiling {
            if r.end <= ceiling, ceiling - r.end >= size { break }
            ceiling = min(ceiling, r.start)
        }
        guard ceiling >= size else { return nil }
        let start = ceiling - size
        guard start >= Self.roundUp(brk) else { return nil }
        map(start, start + size, prot: prot, kind: kind)
        return start
    }

    /// MAP_FIXED: whatever was mapped there is replaced; false (nothing changes) beyond the
    /// budget.
    @discardableResult
    public mutating func allocateFixed(_ start: UInt64, _ length: UInt64, prot: UInt8 = read | write) -> Bool {
        let size = Self.roundUp(length)
        guard fits(size) else { return false }
        map(start, start &+ size, prot: prot, kind: .anonymous)
        return true
    }

    /// The part of `r` from `address` on (a file area's offset moves with it).
    static func tail(of r: Area, from address: UInt64) -> Area {
        var t = r
        t.start = address
        if case .file(let offset) = r.kind { t.kind = .file(offset: offset + (address - r.start)) }
        return t
    }

    /// Joins neighbours that the kernel would keep as one VMA: same protection and kind, a
    /// file area only with the next file offset.
    mutating func merge() {
        var out: [Area] = []
        for r in areas {
            if let last = out.last, last.end == r.start, last.prot == r.prot, Self.continues(last, r) {
                out[out.count - 1].end = r.end
            } else {
                out.append(r)
            }
        }
        areas = out
    }

    static func continues(_ a: Area, _ b: Area) -> Bool {
        switch (a.kind, b.kind) {
        case (.file(let x), .file(let y)): return y == x + (a.end - a.start)
        default: return a.kind == b.kind
        }
    }
}
