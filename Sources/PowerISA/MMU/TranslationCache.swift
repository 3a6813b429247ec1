/// A per-vCPU software TLB: a direct-mapped array of effective granules → real granules with
/// the rights of the translation, tagged by PID. A translation of a 64K or larger page is cached
/// as its 64K granule, found at index EA >> 16; one of a 4K page as its 4K granule, at index
/// EA >> 12 (looked at only when the first probe misses). Granules of 64K let 4096 entries cover
/// 256 MiB, so kvm-unit-tests' 100 MB sieve over 64K pages stops walking on most strided stores
/// (4K granules covered 16 MiB: the sieve spent most of its time in walks). It only ever caches what `RadixMMU`
/// translated successfully, so a miss — no entry, another PID, or an entry that does not
/// permit the access — is never a fault: the engine then calls `RadixMMU.translate`, which
/// either raises the exact interrupt or succeeds (and the engine `insert`s the result).
///
/// How the engine uses it (one cache for data, one for fetches avoids code/data conflicts):
///
///     if let ra = dtlb.lookup(ea: ea, pidr: pidr, access: .load, problemState: pr) { fast path }
///     else switch mmu.translate(...) {
///         case .translated(let t): dtlb.insert(ea: ea, translation: t); use t.realAddress
///         case .fault(let f): raise f
///     }
///
/// What stays valid without a flush, and what the engine must do:
/// - PIDR changes: nothing (entries carry their PID; quadrant 3 entries have PID 0).
/// - MSR[PR] changes: nothing (each entry keeps problem-state and privileged rights apart).
/// - MSR[IR]/[DR]: the cache is simply not consulted in real mode.
/// - AMR/IAMR writes: set `keyZeroDenied` (`AccessRights.keyZeroDenied(amr:iamr:)`); the
///   cache applies it to privileged accesses of non-privileged pages at lookup.
/// - PTE changes: the guest must tlbie as the ISA requires; `apply(_:)` a `TLBInvalidation`
///   to every vCPU's caches for tlbie (the broadcast form; tlbsync then has nothing left to
///   wait for on one host thread) and to the issuing vCPU's only for tlbiel. Permission
///   upgrades need no tlbie on Book3S (Linux relies on it): a cached entry lacking the right
///   misses and the walk sees the new PTE.
/// - A store is only cached as permitted once the PTE's C bit is set, so the store that
///   must set C (or interrupt for it) always reaches the walk.
/// - H_REGISTER_PROCESS_TABLE, and slbia (safest to treat as invalidating all lookaside state):
///   `invalidateAll()`.
public final class TranslationCache {
    /// One cached granule. `virtualPage` = EA >> `granuleShift` including the quadrant bits,
    /// or `emptyTag`.
    @usableFromInline struct Entry: Sendable {
        @usableFromInline var virtualPage: UInt64
        @usableFromInline var realPage: UInt64
        @usableFromInline var pid: UInt32
        /// Bits 0:2 problem-state rights, 3:5 privileged rights, 6 subject to AMR/IAMR key 0.
        @usableFromInline var rights: UInt8
        /// The page size of the translation this granule belongs to (for tlbie by page).
        @usableFromInline var pageShift: UInt8
        /// 12 or 16: the granule's size (`largeGranuleShift` for pages of 64K and more).
        @usableFromInline var granuleShift: UInt8

        @usableFromInline static let empty = Entry(virtualPage: emptyTag, realPage: 0, pid: 0, rights: 0,
                                                   pageShift: 0, granuleShift: UInt8(smallGranuleShift))

        /// True when this entry's granule contains `ea` (an empty one contains nothing: its tag
        /// is above any EA >> 12).
        @inline(__always) @usableFromInline func covers(_ ea: UInt64) -> Bool {
            virtualPage == ea >> UInt64(granuleShift)
        }
    }

    @usableFromInline static let emptyTag: UInt64 = .max
    @usableFromInline static let smallGranuleShift: UInt64 = 12
    @usableFromInline static let largeGranuleShift: UInt64 = 16
    @usableFromInline static let keyZeroFlag: UInt8 = 0x40

    public let entryCount: Int
    @usableFromInline let indexMask: UInt64
    @usableFromInline let entries: UnsafeMutablePointer<Entry>
    /// What AMR/IAMR key 0 deny in privileged state (set when the guest writes them).
    public var keyZeroDenied: AccessRights = []

    /// `entryCount` is rounded up to a power of two.
    public init(entryCount: Int = 1024) {
        var count = 1
        while count < max(entryCount, 1) { count <<= 1 }
        self.entryCount = count
        indexMask = UInt64(count - 1)
        entries = .allocate(capacity: count)
        entries.initialize(repeating: .empty, count: count)
    }
    deinit { entries.deallocate() }

    /// The real address for an access if a cached translation permits it, else nil (walk).
    @inlinable public func lookup(ea: UInt64, pidr: UInt32, access: StorageAccess, problemState: Bool) -> UInt64? {
        Self.lookup(entries: entries, indexMask: indexMask, keyZeroDenied: keyZeroDenied,
                    ea: ea, pidr: pidr, access: access, problemState: problemState)
    }

    /// `lookup` on a cache's parts, for a caller that holds them (no reference counting).
    @inlinable static func lookup(entries: UnsafeMutablePointer<Entry>, indexMask: UInt64, keyZeroDenied: AccessRights,
                                  ea: UInt64, pidr: UInt32, access: StorageAccess, problemState: Bool) -> UInt64? {
        var entry = entries[Int((ea >> largeGranuleShift) & indexMask)]
        if !entry.covers(ea) {
            entry = entries[Int((ea >> smallGranuleShift) & indexMask)]
            guard entry.covers(ea) else { return nil }
        }
        guard entry.pid == (ea >> 62 == 3 ? 0 : pidr) else { return nil }
        var rights = AccessRights(rawValue: problemState ? entry.rights & 0x7 : (entry.rights >> 3) & 0x7)
        if !problemState && entry.rights & Self.keyZeroFlag != 0 { rights.subtract(keyZeroDenied) }
        guard rights.contains(access.requiredRight) else { return nil }
        return entry.realPage | (ea & ~(UInt64.max << UInt64(entry.granuleShift)))
    }

    /// Caches the granule of `ea` from a successful translation of it.
    public func insert(ea: UInt64, translation t: Translation) {
        let shift = t.pageShift >= Int(Self.largeGranuleShift) ? Self.largeGranuleShift : Self.smallGranuleShift
        let page = ea >> shift
        // The reductions translate applies in either state: no fetch from guarded storage, no
        // store until C is set.
        var reduce: AccessRights = []
        if t.pte.isGuarded { reduce.insert(.execute) }
        if !t.pte.isChanged { reduce.insert(.write) }
        let problemRights = t.pte.rights(problemState: true, keyZeroDenied: []).subtracting(reduce)
        let privilegedRights = t.pte.rights(problemState: false, keyZeroDenied: []).subtracting(reduce)
        var rights = problemRights.rawValue | privilegedRights.rawValue << 3
        if !t.pte.isPrivileged { rights |= Self.keyZeroFlag }
        entries[Int(page & indexMask)] = Entry(
            virtualPage: page, realPage: t.realAddress & (UInt64.max << shift), pid: t.pid, rights: rights,
            pageShift: UInt8(t.pageShift), granuleShift: UInt8(shift))
    }

    public func invalidateAll() {
        for i in 0..<entryCount { entries[i].virtualPage = Self.emptyTag }
    }

    /// Every entry of one PID (quadrant 3 entries are PID 0's).
    public func invalidate(pid: UInt32) {
        for i in 0..<entryCount where entries[i].pid == pid { entries[i].virtualPage = Self.emptyTag }
    }

    /// Entries of `pid` that lie in the page of 2^`pageShift` bytes containing `ea`, or whose
    /// own (larger) page contains `ea`.
    public func invalidate(ea: UInt64, pid: UInt32, pageShift: Int) {
        for i in 0..<entryCount where entries[i].virtualPage != Self.emptyTag && entries[i].pid == pid {
            let shift = UInt64(max(pageShift, Int(entries[i].pageShift)))
            let cachedEA = entries[i].virtualPage << UInt64(entries[i].granuleShift)
            if shift >= 64 || cachedEA >> shift == ea >> shift { entries[i].virtualPage = Self.emptyTag }
        }
    }

    /// Performs a tlbie/tlbiel's invalidation on this cache.
    public func apply(_ invalidation: TLBInvalidation) {
        switch invalidation.scope {
        case .nothing: break
        case .page(let ea, let pid, let pageShift): invalidate(ea: ea, pid: pid, pageShift: pageShift)
        case .process(let pid): invalidate(pid: pid)
        case .everything: invalidateAll()
        }
    }

    /// Valid entries (for tests and statistics).
    public var validEntryCount: Int {
        (0..<entryCount).reduce(0) { $0 + (entries[$1].virtualPage == Self.emptyTag ? 0 : 1) }
    }
}

/// The operands of tlbie / tlbiel (Power ISA 3.0: `tlbie RB,RS,RIC,PRS,R`) and what they
/// invalidate in a `TranslationCache`.
///
/// - RB: EPN (bits 0:51, an effective page address including the quadrant), IS (bits 52:53),
///   AP (bits 56:58, the page size for IS = 0).
/// - RS: PID (bits 0:31), LPID (bits 32:63).
/// - RIC: 0 the TLB, 1 the page walk cache only, 2 both and cached table entries, 3 reserved
///   here. PRS: 1 process-scoped, 0 partition-scoped. R: 1 radix, 0 hashed page table.
/// - IS: 0 the page EPN of PID, 1 all of PID, 2 all of LPID, 3 everything.
///
/// lpar caches only process-scoped leaf translations (no page walk cache), so RIC = 1 drops
/// nothing; the guest is the only partition, so IS = 2 and IS = 3 drop everything; the forms
/// whose exact effect on combined translations lpar does not model (PRS = 0, R = 0, RIC = 3,
/// an AP that is not a POWER9 page size) drop more than needed, never less: a TLB may always
/// forget. Linux's flush_tlb_page and kvm-unit-tests' flush_tlb_page use IS = 0, RIC = 0,
/// PRS = 1, R = 1, RS = PID << 32; radix__flush_tlb_mm uses IS = 1.
public struct TLBInvalidation: Equatable, Sendable {
    public let rb: UInt64
    public let rs: UInt64
    public let ric: Int
    public let prs: Bool
    public let r: Bool

    public init(rb: UInt64, rs: UInt64, ric: Int, prs: Bool, r: Bool) {
        self.rb = rb
        self.rs = rs
        self.ric = ric
        self.prs = prs
        self.r = r
    }

    public var epn: UInt64 { rb & ~0xFFF }
    public var isField: Int { Int((rb >> 10) & 0x3) }
    public var ap: Int { Int((rb >> 5) & 0x7) }
    public var pid: UInt32 { UInt32(truncatingIfNeeded: rs >> 32) }
    public var lpid: UInt32 { UInt32(truncatingIfNeeded: rs) }

    /// AP → page shift, from the `ibm,processor-radix-AP-encodings` a POWER9 advertises
    /// (0x0000000c, 0xa0000010, 0x20000015, 0x4000001e: AP in the top 3 bits, shift below).
    public static func pageShift(ap: Int) -> Int? {
        switch ap {
        case 0: return 12
        case 5: return 16
        case 1: return 21
        case 2: return 30
        default: return nil
        }
    }

    public enum Scope: Equatable, Sendable {
        case nothing
        case page(ea: UInt64, pid: UInt32, pageShift: Int)
        case process(pid: UInt32)
        case everything
    }

    public var scope: Scope {
        if ric == 1 { return .nothing }
        if !prs || !r || ric == 3 { return .everything }
        switch isField {
        case 0:
            guard ric == 0, let shift = Self.pageShift(ap: ap) else { return .process(pid: pid) }
            return .page(ea: epn, pid: pid, pageShift: shift)
        case 1: return .process(pid: pid)
        default: return .everything
        }
    }
}
