#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// H_PAGE_INIT flags (Linux hvcall.h: IBM bit n is 1 << (63 - n)).
public enum PageInitFlags {
    public static let icacheInvalidate: UInt64 = 1 << (63 - 40)
    public static let icacheSynchronize: UInt64 = 1 << (63 - 41)
    public static let zeroPage: UInt64 = 1 << (63 - 48)
    public static let copyPage: UInt64 = 1 << (63 - 49)
    static let known = icacheInvalidate | icacheSynchronize | zeroPage | copyPage
}

extension Hypervisor {
    static let pageSize: UInt64 = 4096

    /// QEMU's h_page_init order: flags, then the destination (4 KiB aligned, writable guest
    /// memory), then — only when copying — the source (aligned, guest memory).
    func pageInit(_ r: inout HcallRegisters) -> Int64 {
        let flags = r[0], destination = r[1], source = r[2]
        let size = Self.pageSize
        guard flags & ~PageInitFlags.known == 0 else { return HcallStatus.parameter }
        guard destination % size == 0, let to = memory.writablePointer(destination, size) else { return HcallStatus.parameter }
        if flags & PageInitFlags.copyPage != 0 {
            guard source % size == 0, let from = memory.pointer(source, size) else { return HcallStatus.parameter }
            memmove(to, from, Int(size))
        } else if flags & PageInitFlags.zeroPage != 0 {
            memset(to, 0, Int(size))
        }
        // Every write of the page (and the icache flags, which ask for exactly this) drops
        // predecoded instructions there, so code copied or cleared by the call runs as it is now.
        memory.noteWrite(destination, size)
        return HcallStatus.success
    }

    /// H_LOGICAL_CI_LOAD: 1, 2, 4 or 8 bytes, big-endian, zero-extended.
    func logicalLoad(_ r: inout HcallRegisters) -> Int64 {
        let address = r[1]
        let value: UInt64?
        switch r[0] {
        case 1: value = memory.load8(address).map(UInt64.init)
        case 2: value = memory.load16(address).map(UInt64.init)
        case 4: value = memory.load32(address).map(UInt64.init)
        case 8: value = memory.load64(address)
        default: return HcallStatus.parameter
        }
        guard let value else { return HcallStatus.parameter }
        r[0] = value
        return HcallStatus.success
    }

    /// H_LOGICAL_CI_STORE: the low 1, 2, 4 or 8 bytes of the value, big-endian.
    func logicalStore(_ r: inout HcallRegisters) -> Int64 {
        let size = r[0], address = r[1], value = r[2]
        let stored: Bool
        switch size {
        case 1: stored = memory.store8(address, UInt8(truncatingIfNeeded: value))
        case 2: stored = memory.store16(address, UInt16(truncatingIfNeeded: value))
        case 4: stored = memory.store32(address, UInt32(truncatingIfNeeded: value))
        case 8: stored = memory.store64(address, value)
        default: return HcallStatus.parameter
        }
        guard stored else { return HcallStatus.parameter }
        memory.noteWrite(address, size)
        return HcallStatus.success
    }
}

extension HypercallTable {
    static let ciSize = HcallRegister("size", .decimal, "1, 2, 4 or 8 bytes")
    static let ciAddress = HcallRegister("address", .hex, "guest physical address (RAM or a bound NVDIMM window)")

    static let memoryHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0x2C, name: "H_PAGE_INIT", functionSet: "hcall-copy",
            summary: "Zero a 4 KiB page or copy one over another.",
            inputs: [HcallRegister("flags", .named([PageInitFlags.zeroPage: "ZERO_PAGE", PageInitFlags.copyPage: "COPY_PAGE",
                                                    PageInitFlags.zeroPage | PageInitFlags.copyPage: "ZERO_PAGE|COPY_PAGE"]),
                                   "bit 48 ZERO_PAGE, bit 49 COPY_PAGE (copy wins when both are set), bits 40/41 ICACHE_INVALIDATE/SYNCHRONIZE"),
                     HcallRegister("destination", .hex, "4 KiB-aligned guest physical address"),
                     HcallRegister("source", .hex, "4 KiB-aligned guest physical address (COPY_PAGE only)")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "the page is zeroed or copied (with no ZERO/COPY flag: nothing but the icache flush)"),
                      HcallReturn(HcallStatus.parameter, "an unknown flag; the destination unaligned, not in guest memory or in a read-only window; with COPY_PAGE the source unaligned or not in guest memory")],
            qemuDifference: "QEMU's destination check is \"RAM or the device-memory region\"; a store through it into a read-only NVDIMM window is silently dropped. lpar answers H_PARAMETER for a destination it cannot write (read-only or unbound window).",
            handler: { hv, r in hv.pageInit(&r) }),
        HypercallSpec(
            opcode: 0x3C, name: "H_LOGICAL_CI_LOAD", functionSet: "hcall-debug",
            summary: "Load from a guest physical address as a cache-inhibited access would (firmware's way to reach memory in real mode).",
            inputs: [ciSize, ciAddress],
            outputs: [HcallRegister("value", .hex, "the bytes read, big-endian, zero-extended")],
            returns: [HcallReturn(HcallStatus.success, "r4 holds the value"),
                      HcallReturn(HcallStatus.parameter, "size is not 1, 2, 4 or 8, or the bytes are not all guest memory")],
            qemuDifference: "QEMU reads any address (unassigned memory reads as all ones or zero); lpar refuses one outside RAM and bound windows.",
            handler: { hv, r in hv.logicalLoad(&r) }),
        HypercallSpec(
            opcode: 0x40, name: "H_LOGICAL_CI_STORE", functionSet: "hcall-debug",
            summary: "Store to a guest physical address as a cache-inhibited access would.",
            inputs: [ciSize, ciAddress, HcallRegister("value", .hex, "the low size bytes are stored, big-endian")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "stored"),
                      HcallReturn(HcallStatus.parameter, "size is not 1, 2, 4 or 8, or the bytes are not all writable guest memory")],
            qemuDifference: "QEMU drops a store to an unassigned or read-only address and answers H_SUCCESS; lpar answers H_PARAMETER.",
            handler: { hv, r in hv.logicalStore(&r) }),
    ]
}
