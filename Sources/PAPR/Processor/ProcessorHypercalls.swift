import PowerISA

/// Where H_RANDOM's numbers come from. By default the host's random generator (getrandom), as a
/// hardware RNG would be: the one input of a run that is not repeatable. With a seed it is
/// SplitMix64 from that seed, so a run (or a test) that needs repeatable numbers gets them.
public struct EntropySource: Sendable {
    private var state: UInt64?
    public init(seed: UInt64? = nil) { state = seed }

    public mutating func next() -> UInt64 {
        guard var s = state else {
            var host = SystemRandomNumberGenerator()
            return host.next()
        }
        // SplitMix64 (Steele, Lea, Flood 2014): every output bit toggles.
        s &+= 0x9E37_79B9_7F4A_7C15
        state = s
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// H_GET_CPU_CHARACTERISTICS bits (Linux hvcall.h; IBM bit n is 1 << (63 - n)).
public enum CPUCharacteristics {
    /// Character: the count cache (indirect branch predictor) is disabled. An interpreter has
    /// none, so Spectre v2 needs no flush.
    public static let countCacheDisabled: UInt64 = 1 << 56
    /// Behaviour: favour security (mitigate whatever is asked below).
    public static let favourSecurity: UInt64 = 1 << 63
    /// Behaviour bits lpar leaves clear, so Linux turns their mitigations off: L1D flush on
    /// return to problem state (1 << 62, Meltdown's RFI flush) and the bounds-check speculation
    /// barrier (1 << 61, Spectre v1).
    public static let l1dFlushProblemState: UInt64 = 1 << 62
    public static let boundsCheckSpeculationBarrier: UInt64 = 1 << 61
    /// Behaviour: no L1D flush on kernel entry, none around user access, no store-forwarding barrier.
    public static let noL1DFlushEntry: UInt64 = 1 << 56
    public static let noL1DFlushUserAccess: UInt64 = 1 << 55
    public static let noSTFBarrier: UInt64 = 1 << 54

    /// Nothing speculates in an interpreter: no cache side channel to close.
    public static let character = countCacheDisabled
    public static let behaviour = favourSecurity | noL1DFlushEntry | noL1DFlushUserAccess | noSTFBarrier
}

/// H_SET_MODE's resources and the mflags values lpar accepts (Linux hvcall.h, QEMU spapr_hcall.c).
enum SetModeResource {
    static let addressTranslationMode: UInt64 = 3   // AIL: where interrupts vector with MSR[IR,DR] = 1
    static let littleEndian: UInt64 = 4             // LPCR[ILE]: endianness of interrupt handlers
    /// mflags 0 is what the machine does already for both: AIL 0 (interrupts at their real-mode
    /// vectors) and H_SET_MODE_ENDIAN_BIG.
    static let asNow: UInt64 = 0
}

extension HypercallTable {
    static let processorHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0x24, name: "H_SET_SPRG0", functionSet: "hcall-sprg0",
            summary: "Set the calling vCPU's SPRG0 (which the partition cannot write with mtspr in every mode).",
            inputs: [HcallRegister("value", .hex, "the new SPRG0")], outputs: [],
            returns: [HcallReturn(HcallStatus.success, "SPRG0 = value")],
            handler: { _, r in
                r.cpu[RegisterSlot.sprg0] = r[0]
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x1C8, name: "H_GET_CPU_CHARACTERISTICS",
            summary: "Which speculation side channels the processor has and which mitigations the OS should apply.",
            inputs: [],
            outputs: [HcallRegister("characteristics", .hex, "bit 7 (1 << 56): count cache disabled"),
                      HcallRegister("behaviour", .hex, "bit 0 favour security; bits 7, 8, 9: no L1D flush on entry, none around user access, no store-forwarding barrier; bits 1 (L1D flush on return to user) and 2 (bounds-check barrier) clear")],
            returns: [HcallReturn(HcallStatus.success, "r4 and r5 hold the bits")],
            qemuDifference: "QEMU's answer follows its cap-cfpc/cap-sbbc/cap-ibs machine options (kvm-unit-tests runs with them \"broken\": flush requested). lpar answers \"not vulnerable\": an interpreter speculates nothing, and Linux's L1D-flush fallback on every kernel entry and exit would cost it dearly.",
            handler: { _, r in
                r[0] = CPUCharacteristics.character
                r[1] = CPUCharacteristics.behaviour
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x300, name: "H_RANDOM",
            summary: "A 64-bit random number from the platform's generator.",
            inputs: [], outputs: [HcallRegister("random", .hex, "64 random bits")],
            returns: [HcallReturn(HcallStatus.success, "r4 holds the number")],
            qemuDifference: "QEMU has it only with `-device spapr-rng` (else H_FUNCTION) and announces it with an ibm,random-v1 node, which lpar's tree does not have: Linux's pseries-rng driver does not bind, kvm-unit-tests and other callers just call it. The numbers are the host's (getrandom); a fixed seed (PartitionConfig.randomSeed) makes them SplitMix64's, repeatable.",
            handler: { hv, r in
                r[0] = hv.entropy.next()
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x31C, name: "H_SET_MODE", functionSet: "hcall-set-mode",
            summary: "Set a partition-wide processor mode: resource 3 = interrupt relocation (AIL), 4 = interrupt endianness.",
            inputs: [HcallRegister("mflags", .decimal, "the mode: AIL 0-3 for resource 3; 0 big-endian, 1 little-endian for resource 4"),
                     HcallRegister("resource", .named([1: "SET_CIABR", 2: "SET_DAWR0", 3: "ADDR_TRANS_MODE", 4: "LE", 5: "SET_DAWR1"]), "which mode"),
                     HcallRegister("value1", .hex, "must be 0 for resources 3 and 4"),
                     HcallRegister("value2", .hex, "must be 0 for resources 3 and 4")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "resource 3 with AIL 0 (interrupts at their real-mode vectors, as now), or resource 4 big-endian"),
                      HcallReturn(HcallStatus.p2, "a resource other than 3 or 4 (breakpoint registers are not there)"),
                      HcallReturn(HcallStatus.p3, "value1 is not 0"),
                      HcallReturn(HcallStatus.p4, "value2 is not 0"),
                      HcallReturn(HcallStatus.unsupportedFlag, "AIL 1, 2 or 3 (lpar does not relocate interrupts) or any other mflags; little-endian interrupts")],
            qemuDifference: "QEMU accepts AIL 0, 2 and 3 (refusing only the reserved 1) and little-endian. lpar runs big-endian only and vectors interrupts at 0x0-0x3000 only, so it refuses what it cannot do: Linux then keeps AIL 0 and does not advertise scv (docs/PAPR.md, H_SET_MODE).",
            handler: { _, r in
                let mflags = r[0], resource = r[1]
                guard resource == SetModeResource.addressTranslationMode || resource == SetModeResource.littleEndian else { return HcallStatus.p2 }
                guard r[2] == 0 else { return HcallStatus.p3 }
                guard r[3] == 0 else { return HcallStatus.p4 }
                return mflags == SetModeResource.asNow ? HcallStatus.success : HcallStatus.unsupportedFlag
            }),
    ]
}
