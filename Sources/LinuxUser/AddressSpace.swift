/// Where a Linux process's memory lives inside guest RAM (guest addresses are the process's
/// virtual addresses: lpar has no MMU translation).
///
/// ```
/// 0 … image … [brk heap →]      …free…      [← mmap regions][guard][stack ↓] ramSize
/// ```
/// The heap grows up from the page after the image; mmap hands out 64 KiB-aligned regions
/// top-down below the stack, first fit; the two never overlap (brk fails instead, and glibc's
/// malloc then falls back to mmap as it does under a real kernel).
public struct AddressSpace: Sendable {
    public static let pageSize: UInt64 = 65536
    public let brkStart: UInt64
    public private(set) var brk: UInt64
    /// mmap regions are placed at or below this address.
    public let mmapTop: UInt64
    /// Mapped regions [start, end), sorted by start.
    public private(set) var regions: [(start: UInt64, end: UInt64)] = []
    /// PROT_* bits recorded per page (page number → bits) by mmap and mprotect, for
    /// /proc/self/maps. Not enforced: every page stays readable and writable. A page not
    /// here has its mapping's default (the ELF segment's flags, else read-write).
    public private(set) var protections: [UInt64: UInt8] = [:]

    public init(imageEnd: UInt64, stackBottom: UInt64) {
        brkStart = Self.roundUp(imageEnd)
        brk = brkStart
        mmapTop = stackBottom &- Self.pageSize
    }

    public static func roundUp(_ v: UInt64) -> UInt64 { (v &+ pageSize &- 1) & ~(pageSize - 1) }

    func overlaps(_ start: UInt64, _ end: UInt64) -> Bool { regions.contains { $0.start < end && start < $0.end } }

    /// brk(2): moves the break if the range stays clear; returns the (possibly unchanged) break
    /// and the range that became newly valid (to be zeroed).
    public mutating func setBreak(_ new: UInt64) -> (brk: UInt64, grown: Range<UInt64>?) {
        guard new >= brkStart, new <= mmapTop, !overlaps(brkStart, Self.roundUp(new)) else { return (brk, nil) }
        let old = brk
        brk = new
        return (brk, new > old ? old..<new : nil)
    }

    /// Finds room for `length` bytes (rounded to pages), highest first; nil when full.
    public mutating func allocate(_ length: UInt64) -> UInt64? {
        guard length > 0, length <= mmapTop else { return nil }
        let size = Self.roundUp(length)
        var ceiling = mmapTop
        for r in regions.reversed() {
            if r.end <= ceiling, ceiling - r.end >= size { break }
            ceiling = min(ceiling, r.start)
        }
        guard ceiling >= size else { return nil }
        let start = ceiling - size
        guard start >= Self.roundUp(brk) else { return nil }
        insert(start, start + size)
        return start
    }

    /// MAP_FIXED: whatever was mapped there is replaced.
    public mutating func allocateFixed(_ start: UInt64, _ length: UInt64) {
        let end = start &+ Self.roundUp(length)  // callers have checked the range is inside RAM
        remove(start, end)
        insert(start, end)
    }

    public func isMapped(_ start: UInt64, _ length: UInt64) -> Bool {
        let end = start &+ Self.roundUp(length)
        guard end >= start else { return false }
        var a = start
        for r in regions where r.start <= a && r.end > a {
            a = r.end
            if a >= end { return true }
        }
        return a >= end
    }

    mutating func insert(_ start: UInt64, _ end: UInt64) {
        regions.append((start, end))
        regions.sort { $0.start < $1.start }
        // Merge neighbours so that mremap and munmap see one region per contiguous run.
        var merged: [(start: UInt64, end: UInt64)] = []
        for r in regions {
            if let last = merged.last, last.end >= r.start { merged[merged.count - 1].end = max(last.end, r.end) } else { merged.append(r) }
        }
        regions = merged
    }

    /// Records `prot` for every page of [start, end) (mmap, mprotect).
    public mutating func recordProtection(_ start: UInt64, _ end: UInt64, _ prot: UInt8) {
        guard end > start else { return }
        let first = start / Self.pageSize, last = Self.roundUp(end) / Self.pageSize
        guard last - first <= 1 << 24 else { return }  // beyond any guest RAM (1 TiB)
        for page in first..<last { protections[page] = prot }
    }

    /// munmap(2): drops every mapped byte of [start, end).
    public mutating func remove(_ start: UInt64, _ end: UInt64) {
        if !protections.isEmpty, end > start {
            let first = start / Self.pageSize, last = Self.roundUp(end) / Self.pageSize
            protections = protections.filter { $0.key < first || $0.key >= last }
        }
        var kept: [(start: UInt64, end: UInt64)] = []
        for r in regions {
            if r.end <= start || r.start >= end { kept.append(r); continue }
            if r.start < start { kept.append((r.start, start)) }
            if r.end > end { kept.append((end, r.end)) }
        }
        regions = kept
    }
}
