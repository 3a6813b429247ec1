import PowerISA
import GuestMemory

/// What the hypervisor keeps for one vCPU: the areas H_REGISTER_VPA registered (guest physical
/// addresses, 0 = none) and whether an H_PROD is waiting for its next H_CONFER to itself.
public struct VirtualProcessor: Sendable, Equatable {
    public var vpa: UInt64 = 0
    public var slbShadow: UInt64 = 0
    public var slbShadowSize: UInt64 = 0
    public var dispatchTraceLog: UInt64 = 0
    public var dispatchTraceLogSize: UInt64 = 0
    public var prodPending = false
    public init() {}
}

/// The Virtual Processor Area's layout, as far as the hypervisor touches it (PAPR; Linux's
/// `struct lppaca`, QEMU's VPA_* constants).
enum VPALayout {
    /// u16 at +4: the size the guest says the area has.
    static let sizeOffset: UInt64 = 0x4
    /// Byte +9 bit 0x02: "shared processor", which QEMU sets at registration.
    static let sharedProcessorOffset: UInt64 = 0x9
    static let sharedProcessorBit: UInt8 = 0x02
    /// u32 at +0x100: the dispatch count, even while the vCPU runs, odd while it is ceded.
    static let dispatchCountOffset: UInt64 = 0x100
    static let minimumSize: UInt64 = 640
    /// A VPA must start on a data-cache block (128 bytes on POWER9, the DT's d-cache-block-size).
    static let alignment: UInt64 = 128
    /// An SLB shadow's u32 size at +4 is at least 8; a DTL's at least 48 (one entry).
    static let slbShadowMinimumSize: UInt64 = 8
    static let dispatchTraceLogMinimumSize: UInt64 = 48
}

extension Hypervisor {
    /// H_REGISTER_VPA's sub-function: flags bits 16:18 (IBM numbering), Linux's H_VPA_FUNC.
    enum VPAFunction: UInt64 {
        case registerVPA = 1, registerDTL = 2, registerSLBShadow = 3
        case deregisterVPA = 5, deregisterDTL = 6, deregisterSLBShadow = 7
        static let shift: UInt64 = 63 - 18
    }

    func registerVPA(_ r: inout HcallRegisters) -> Int64 {
        let flags = r[0], procno = r[1], address = r[2]
        guard procno < UInt64(processors.count) else { return HcallStatus.parameter }
        // QEMU matches the whole flags word: any other bit set is an unknown sub-function.
        guard flags & ~(7 << VPAFunction.shift) == 0, let function = VPAFunction(rawValue: flags >> VPAFunction.shift) else {
            return HcallStatus.parameter
        }
        let n = Int(procno)
        switch function {
        case .registerVPA:
            guard address != 0 else { return HcallStatus.hardware }
            guard address % VPALayout.alignment == 0 else { return HcallStatus.parameter }
            // The header must be guest memory itself (an address near 2^64 must not wrap to a
            // low one); then the area can be measured without overflow.
            guard memory.isMapped(address, 8), let size16 = memory.load16(address + VPALayout.sizeOffset) else { return HcallStatus.parameter }
            let size = UInt64(size16)
            guard size >= VPALayout.minimumSize else { return HcallStatus.parameter }
            guard address / 4096 == (address + size - 1) / 4096 else { return HcallStatus.parameter }
            guard memory.isWritable(address, size) else { return HcallStatus.parameter }
            processors[n].vpa = address
            let shared = memory.load8(address + VPALayout.sharedProcessorOffset) ?? 0
            memory.store8(address + VPALayout.sharedProcessorOffset, shared | VPALayout.sharedProcessorBit)
            memory.noteWrite(address + VPALayout.sharedProcessorOffset, 1)
        case .deregisterVPA:
            // PAPR: the SLB shadow and DTL hang off the VPA and go first.
            guard processors[n].slbShadow == 0, processors[n].dispatchTraceLog == 0 else { return HcallStatus.resource }
            processors[n].vpa = 0
        case .registerSLBShadow, .registerDTL:
            guard address != 0 else { return HcallStatus.hardware }
            guard memory.isMapped(address, 8), let size32 = memory.load32(address + 4) else { return HcallStatus.parameter }
            let size = UInt64(size32)
            let slb = function == .registerSLBShadow
            guard size >= (slb ? VPALayout.slbShadowMinimumSize : VPALayout.dispatchTraceLogMinimumSize) else { return HcallStatus.parameter }
            if slb { guard address / 4096 == (address + size - 1) / 4096 else { return HcallStatus.parameter } }
            guard memory.isWritable(address, size) else { return HcallStatus.parameter }
            guard processors[n].vpa != 0 else { return HcallStatus.resource }
            if slb { processors[n].slbShadow = address; processors[n].slbShadowSize = size }
            else { processors[n].dispatchTraceLog = address; processors[n].dispatchTraceLogSize = size }
        case .deregisterSLBShadow:
            processors[n].slbShadow = 0; processors[n].slbShadowSize = 0
        case .deregisterDTL:
            processors[n].dispatchTraceLog = 0; processors[n].dispatchTraceLogSize = 0
        }
        return HcallStatus.success
    }

    /// Steps the VPA's dispatch count to odd (the vCPU leaves the processor: cede) or even (it
    /// runs again), correcting a count the guest left with the wrong parity, as QEMU does.
    func stepDispatchCount(processor n: Int, running: Bool) {
        let vpa = processors[n].vpa
        guard vpa != 0, var count = memory.load32(vpa + VPALayout.dispatchCountOffset) else { return }
        count &+= 1
        if (count & 1 == 0) != running { count &+= 1 }
        memory.store32(vpa + VPALayout.dispatchCountOffset, count)
        memory.noteWrite(vpa + VPALayout.dispatchCountOffset, 4)
    }

    /// The machine calls this when a vCPU that ceded runs again (after its idle).
    public func resumeAfterCede(cpu: CPU) {
        stepDispatchCount(processor: processorNumber(of: cpu), running: true)
    }

}

extension HypercallTable {
    static let procno = HcallRegister("procno", .decimal, "processor number (the reg of its /cpus node; 0 is the only vCPU)")

    static let splparHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0xDC, name: "H_REGISTER_VPA", functionSet: "hcall-splpar",
            summary: "Register or deregister a vCPU's Virtual Processor Area, SLB shadow buffer or dispatch trace log.",
            inputs: [HcallRegister("flags", .named([1 << 45: "REGISTER_VPA", 2 << 45: "REGISTER_DTL", 3 << 45: "REGISTER_SLB_SHADOW",
                                                    5 << 45: "DEREGISTER_VPA", 6 << 45: "DEREGISTER_DTL", 7 << 45: "DEREGISTER_SLB_SHADOW"]),
                                     "sub-function in bits 16:18: 1 VPA, 2 DTL, 3 SLB shadow; 5, 6, 7 deregister them"),
                     procno,
                     HcallRegister("address", .hex, "guest physical address of the area (ignored when deregistering)")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "registered or deregistered (deregistering what was never registered succeeds, as PAPR says)"),
                      HcallReturn(HcallStatus.parameter, "procno names no vCPU; flags is no sub-function; a VPA not 128-byte aligned, its u16 size at +4 below 640, crossing a 4 KiB page or not in writable guest memory; an SLB shadow (u32 size at +4) below 8 bytes or crossing a page; a DTL below 48 bytes"),
                      HcallReturn(HcallStatus.hardware, "the address is 0"),
                      HcallReturn(HcallStatus.resource, "an SLB shadow or DTL without a VPA, or deregistering a VPA that still has one")],
            qemuDifference: "QEMU reads the size at any address (a VPA past the end of RAM reads 0 and fails the size check); lpar refuses an area outside writable guest memory outright. Like QEMU's TCG, lpar writes no dispatch trace log entries.",
            handler: { hv, r in hv.registerVPA(&r) }),
        HypercallSpec(
            opcode: 0xE0, name: "H_CEDE", functionSet: "hcall-splpar",
            summary: "Give up the processor until an interrupt is due: returns with MSR[EE] = 1, virtual time moved to the next timer event.",
            inputs: [], outputs: [],
            returns: [HcallReturn(HcallStatus.success, "an interrupt is due (it is taken right after the sc 1, as MSR[EE] is now 1)")],
            qemuDifference: "None in effect. Time does not pass while idle on QEMU TCG's wall clock; lpar's virtual time jumps to the decrementer's expiry, so a cede costs no host time. The VPA's dispatch count goes odd on the cede and even again when the vCPU runs.",
            handler: { hv, r in
                hv.cedeRequested = true
                hv.stepDispatchCount(processor: hv.processorNumber(of: r.cpu), running: false)
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0xE4, name: "H_CONFER", functionSet: "hcall-splpar",
            summary: "Give the rest of this vCPU's time to another vCPU (-1: any), or, to itself, wait for an H_PROD.",
            inputs: [HcallRegister("procno", .named([UInt64.max: "ALL"]), "target processor number, or -1 for all others"),
                     HcallRegister("dispatchCount", .decimal, "the target's VPA dispatch count when the caller decided to confer")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "conferred (with one vCPU there is no one to run: it returns at once)"),
                      HcallReturn(HcallStatus.parameter, "procno is neither -1 nor a vCPU")],
            qemuDifference: "Conferring to itself with no prod pending halts the vCPU on QEMU until something wakes it; lpar has no other vCPU that could prod it, so it returns H_SUCCESS at once (a spurious wake-up, which a confer loop tolerates).",
            handler: { hv, r in
                let target = r[0]
                guard target == UInt64.max || target < UInt64(hv.processors.count) else { return HcallStatus.parameter }
                if target == UInt64(hv.processorNumber(of: r.cpu)) { hv.processors[Int(target)].prodPending = false }
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0xE8, name: "H_PROD", functionSet: "hcall-splpar",
            summary: "Wake a vCPU that conferred to itself (or make its next such confer return at once).",
            inputs: [procno], outputs: [],
            returns: [HcallReturn(HcallStatus.success, "the target is prodded"),
                      HcallReturn(HcallStatus.parameter, "procno names no vCPU")],
            handler: { hv, r in
                guard r[0] < UInt64(hv.processors.count) else { return HcallStatus.parameter }
                hv.processors[Int(r[0])].prodPending = true
                hv.processorControl?.prod(Int(r[0]))
                return HcallStatus.success
            }),
    ]
}
