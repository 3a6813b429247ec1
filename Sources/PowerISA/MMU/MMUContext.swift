import GuestMemory

/// The partition's translation state, one per machine and shared by its vCPUs: the radix MMU
/// (the process table H_REGISTER_PROCESS_TABLE registered, the R/C policy) and every vCPU's
/// TLBs, so that a new registration and a broadcast tlbie reach them all. The PAPR layer and
/// the interpreters hold the same object (`Partition` creates it).
public final class MMUContext {
    /// The walker. Change the registration through `register(_:)`, which flushes the TLBs.
    public private(set) var radix: RadixMMU

    /// The TLBs of every vCPU (data and instruction). Held strongly and removed by the
    /// interpreter's deinit: a weak reference would give every TLB a side table, which makes
    /// each retain of it a slow one (measured on the walk path).
    private var caches: [TranslationCache] = []

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
        caches.append(cache)
    }

    /// The vCPU owning `cache` is going away.
    public func detach(_ cache: TranslationCache) {
        caches.removeAll { $0 === cache }
    }

    /// tlbie: the invalidation is broadcast to every vCPU's TLBs.
    public func broadcast(_ invalidation: TLBInvalidation) {
        for c in caches { c.apply(invalidation) }
    }

    public func invalidateAll() {
        for c in caches { c.invalidateAll() }
    }
}

/// Guest real memory as the walker reads it: RAM only (a table in a device window or beyond
/// RAM is the walk's `tableOutsideMemory`, a machine check). A PTE written for R/C also drops
/// predecoded code on its page, like any store.
/// Made for one walk by the interpreter, which owns both objects: held unmanaged, so a walk
/// does no reference counting (an `unowned` reference cost a slow-path retain per walk).
struct GuestPageTableMemory: PageTableMemory {
    let memoryRef: Unmanaged<GuestMemory>
    let interpreterRef: Unmanaged<Interpreter>

    init(_ interpreter: Interpreter) {
        memoryRef = Unmanaged.passUnretained(interpreter.memory)
        interpreterRef = Unmanaged.passUnretained(interpreter)
    }

    func loadDoubleword(_ realAddress: UInt64) -> UInt64? {
        memoryRef._withUnsafeGuaranteedRef { memory in
            realAddress < memory.ramSize ? memory.load64(realAddress) : nil
        }
    }

    func storeDoubleword(_ realAddress: UInt64, _ value: UInt64) -> Bool {
        let stored = memoryRef._withUnsafeGuaranteedRef { memory in
            realAddress < memory.ramSize && memory.store64(realAddress, value)
        }
        if stored { interpreterRef._withUnsafeGuaranteedRef { $0.invalidate(address: realAddress, size: 8) } }
        return stored
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
