import PowerISA

/// The XICS interrupt presentation layer as PAPR defines it for a partition (the controller
/// Linux pseries and kvm-unit-tests use in XICS mode): one presenter per interrupt server
/// (vCPU) with its Current Processor Priority (CPPR), the pending source and priority (XISR),
/// and the Most Favored Request Register (MFRR) through which H_IPI sends inter-processor
/// interrupts. Priorities: 0 is the most favored, 0xFF masks everything. The only source is the
/// IPI (XISR 2, XICS_IPI): lpar's console is polled, so no device interrupts exist yet.
public final class XICS {
    /// The interrupt source number of an IPI.
    public static let ipiSource: UInt32 = 2

    public struct Presenter: Equatable, Sendable {
        public var cppr: UInt8 = 0
        public var mfrr: UInt8 = 0xFF
        public var xisr: UInt32 = 0
        public var pendingPriority: UInt8 = 0xFF
        /// XIRR as the guest reads it: CPPR in the top byte, XISR below.
        public var xirr: UInt32 { UInt32(cppr) << 24 | xisr }
    }

    public private(set) var presenters: [Presenter]
    /// Told when a server's external interrupt line changes (the machine raises or lowers the
    /// vCPU's external exception).
    public var lineChanged: (_ server: Int, _ asserted: Bool) -> Void = { _, _ in }

    public init(servers: Int) { presenters = Array(repeating: Presenter(), count: max(servers, 1)) }

    public var serverCount: Int { presenters.count }

    /// Presents the IPI when its priority beats the CPPR (and what is pending), and rejects a
    /// pending interrupt the CPPR no longer lets through (an IPI then waits in the MFRR).
    func update(_ server: Int) {
        var p = presenters[server]
        if p.xisr != 0 && p.pendingPriority >= p.cppr { p.xisr = 0; p.pendingPriority = 0xFF }
        if p.mfrr < p.cppr && (p.xisr == 0 || p.mfrr < p.pendingPriority) {
            p.xisr = Self.ipiSource
            p.pendingPriority = p.mfrr
        }
        let was = presenters[server].xisr != 0
        presenters[server] = p
        if was != (p.xisr != 0) || p.xisr != 0 { lineChanged(server, p.xisr != 0) }
    }

    /// H_CPPR.
    public func setCPPR(_ server: Int, _ cppr: UInt8) {
        presenters[server].cppr = cppr
        update(server)
    }

    /// H_IPI: writes the target's MFRR.
    public func setMFRR(_ server: Int, _ mfrr: UInt8) {
        presenters[server].mfrr = mfrr
        update(server)
    }

    /// H_XIRR: accepts the pending interrupt: returns the XIRR as it was, then the CPPR takes the
    /// interrupt's priority and nothing is pending (0 in XISR: a spurious read).
    public func accept(_ server: Int) -> UInt32 {
        var p = presenters[server]
        let xirr = p.xirr
        if p.xisr != 0 { p.cppr = p.pendingPriority; p.xisr = 0; p.pendingPriority = 0xFF }
        presenters[server] = p
        lineChanged(server, false)
        update(server)
        return xirr
    }

    /// H_EOI: the CPPR goes back to the XIRR's top byte; an IPI still requested in the MFRR is
    /// presented again if it now beats the CPPR.
    public func endOfInterrupt(_ server: Int, _ xirr: UInt32) {
        presenters[server].cppr = UInt8(truncatingIfNeeded: xirr >> 24)
        update(server)
    }
}

extension HypercallTable {
    static let xicsHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0x64, name: "H_EOI",
            summary: "End of interrupt: restore the CPPR from the XIRR the handler read; a pending IPI is presented again if it now beats it.",
            inputs: [HcallRegister("xirr", .hex, "the XIRR H_XIRR returned (CPPR in bits 0:7)")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "done")],
            handler: { hv, r in
                hv.xics.endOfInterrupt(hv.processorNumber(of: r.cpu), UInt32(truncatingIfNeeded: r[0]))
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x68, name: "H_CPPR",
            summary: "Set the calling processor's Current Processor Priority: interrupts less favored (numerically not lower) than it wait.",
            inputs: [HcallRegister("cppr", .hex, "new priority, 0 (mask all) to 0xFF (accept all)")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "done")],
            handler: { hv, r in
                hv.xics.setCPPR(hv.processorNumber(of: r.cpu), UInt8(truncatingIfNeeded: r[0]))
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x6C, name: "H_IPI",
            summary: "Send an inter-processor interrupt: set the target server's MFRR to a priority (0xFF withdraws it).",
            inputs: [HcallRegister("server", .decimal, "interrupt server number of the target"),
                     HcallRegister("mfrr", .hex, "priority of the IPI, 0xFF for none")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "the MFRR is set"),
                      HcallReturn(HcallStatus.parameter, "no such server")],
            handler: { hv, r in
                guard r[0] < UInt64(hv.xics.serverCount) else { return HcallStatus.parameter }
                hv.xics.setMFRR(Int(r[0]), UInt8(truncatingIfNeeded: r[1]))
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x70, name: "H_IPOLL",
            summary: "Read a server's XIRR and MFRR without accepting anything.",
            inputs: [HcallRegister("server", .decimal, "interrupt server number")],
            outputs: [HcallRegister("xirr", .hex, "CPPR and pending source"), HcallRegister("mfrr", .hex, "the IPI request")],
            returns: [HcallReturn(HcallStatus.success, "r4, r5 hold the state"),
                      HcallReturn(HcallStatus.parameter, "no such server")],
            handler: { hv, r in
                guard r[0] < UInt64(hv.xics.serverCount) else { return HcallStatus.parameter }
                let p = hv.xics.presenters[Int(r[0])]
                r[0] = UInt64(p.xirr); r[1] = UInt64(p.mfrr)
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x74, name: "H_XIRR",
            summary: "Accept the calling processor's pending interrupt: returns the XIRR (old CPPR, source), raises the CPPR to the interrupt's priority.",
            inputs: [],
            outputs: [HcallRegister("xirr", .hex, "CPPR in bits 0:7, the source in 8:31 (2 = IPI, 0 = none)")],
            returns: [HcallReturn(HcallStatus.success, "r4 holds the XIRR")],
            handler: { hv, r in
                r[0] = UInt64(hv.xics.accept(hv.processorNumber(of: r.cpu)))
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0x2FC, name: "H_XIRR_X",
            summary: "H_XIRR, also returning the time base at acceptance.",
            inputs: [],
            outputs: [HcallRegister("xirr", .hex, "as H_XIRR"), HcallRegister("timebase", .hex, "the time base")],
            returns: [HcallReturn(HcallStatus.success, "r4, r5 hold the XIRR and time base")],
            handler: { hv, r in
                r[0] = UInt64(hv.xics.accept(hv.processorNumber(of: r.cpu)))
                r[1] = hv.timeBase()
                return HcallStatus.success
            }),
    ]
}
