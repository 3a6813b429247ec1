import GuestMemory

/// The partition's translation state, one per machine and shared by its vCPUs: the radix MMU
/// (the process table H_REGISTER_PROCESS_TABLE registered, the R/C policy) and every vCPU's
/// TLBs, so that a new registration and a broadcast tlbie reach them all. The PAPR layer and
/// the interpreters hold the same object (`Partition` creates it).
public final class MMUContext {
    /// The walker. Change the registration through `register(_:)`, which flushes the TLBs.
    public private(set) var radix: RadixMMU

    /// The TLBs of every vCPU (data and instruction), held weakly: a vCPU that goes away
    /// takes its TLBs with it.
    private var caches: [WeakCache] = []
    private struct WeakCache { weak var cache: TranslationCache? }

    public init(referenceChangePolicy: ReferenceChangePolicy = .interrupt) {
        radix = RadixMMU(registration: nil, referenceChangePolicy: referenceChangePolicy)
    }

    public var registration: ProcessTableRegistration? { radix.registration }

    /// A new process table (or none): every cached translation came from the old one.
    public func register(_ registration: ProcessTableRegistration?) {
        radix.registration = registration
        invalidateAll()
    }

    public var referenceChangePolicy: ReferenceChangePolicy {
        get { radix.referenceChangePolicy }
        set { radix.referenceChangePolicy = newValue }
    }

    /// Makes `cache` one of the TLBs that registrations and tlbie reach.
    public func attach(_ cache: TranslationCache) {
        caches.removeAll { $0.cache == nil }
        caches.append(WeakCache(cache: cache))
    }

    /// tlbie: the invalidation is broadcast to every vCPU's TLBs.
    public func broadcast(_ invalidation: TLBInvalidation) {
        for c in caches { c.cache?.apply(invalidation) }
    }

    public func invalidateAll() {
        for c in caches { c.cache?.invalidateAll() }
    }
}

/// Guest real memory as the walker reads it: RAM only (a table in a device window or beyond
/// RAM is the walk's `tableOutsideMemory`, a machine check). A PTE written for R/C also drops
/// predecoded code on its page, like any store.
struct GuestPageTableMemory: PageTableMemory {
    let memory: GuestMemory
    unowned let interpreter: Interpreter

    func loadDoubleword(_ realAddress: UInt64) -> UInt64? {
        guard realAddress < memory.ramSize else { return nil }
        return memory.load64(realAddress)
    }

    func storeDoubleword(_ realAddress: UInt64, _ value: UInt64) -> Bool {
        guard realAddress < memory.ramSize, memory.store64(realAddress, value) else { return false }
        interpreter.invalidate(address: realAddress, size: 8)
        return true
    }
}

extension Interrupt {
    /// The interrupt a failed translation raises (docs/MMU.md "Interrupts and their bits"); a
    /// table outside memory is a machine check at the access's effective address, as a
    /// real-mode access there would be. The ISI's SRR0 is the instruction itself, which is the
    /// EA the fetch translated, so it needs no field of its own.
    init(_ fault: StorageFault, size: UInt64, kind: MemoryFault.Kind) {
        switch fault {
        case .dataStorage(let dar, let dsisr): self = .dataStorage(address: dar, dsisr: dsisr)
        case .dataSegment(let dar): self = .dataSegment(address: dar)
        case .instructionStorage(_, let srr1): self = .instructionStorage(srr1: UInt64(srr1))
        case .instructionSegment: self = .instructionSegment
        case .tableOutsideMemory(_, let ea): self = .machineCheck(MemoryFault(address: ea, size: size, kind: kind))
        }
    }
}
