import CLibFDT

/// What the device tree describes.
public struct MachineDescription {
    public var ramSize: UInt64
    public var bootargs: String
    public var nvdimms: [NVDIMM]
    /// vCPUs, and how many threads each core has (`--smp N,threads=T`): N / T cores.
    public var processors: Int = 1
    public var threadsPerCore: Int = 1
    /// The firmware area: RTAS's code (`rtasStub`) in its first 64 KiB, the flattened tree in
    /// the last 64 KiB; at the top of RAM, or below 2 GiB when RAM is larger, as QEMU keeps
    /// RTAS and the tree in the real-mode area (`linux,rtas-base` is a 32-bit cell). The tree
    /// reserves it (/memreserve/).
    public var firmwareBase: UInt64 { DeviceTree.firmwareBase(ramSize: ramSize) }
    public var rtasBase: UInt64 { firmwareBase }
    public init(ramSize: UInt64, bootargs: String, nvdimms: [NVDIMM], processors: Int = 1, threadsPerCore: Int = 1) {
        self.ramSize = ramSize; self.bootargs = bootargs; self.nvdimms = nvdimms
        self.processors = processors; self.threadsPerCore = threadsPerCore
    }
}

public enum DeviceTreeError: Error, CustomStringConvertible {
    case libfdt(String, Int32)
    public var description: String {
        switch self { case .libfdt(let what, let code): return "building the device tree (\(what)): libfdt error \(code)" }
    }
}

/// Builds the flattened device tree a PAPR guest gets in r3, with libfdt, laid out as QEMU's
/// pseries machine lays out the parts lpar has: /memory, /cpus, /chosen, /vdevice/vty, /rtas
/// and /ibm,persistent-memory with one ibm,pmemory node per NVDIMM.
public enum DeviceTree {
    public static let vtyPath = "/vdevice/vty@30000000"
    /// RTAS (64 KiB, its code at the start) and the tree (at most 64 KiB) at the top of RAM.
    public static let firmwareSize: UInt64 = 2 << 16
    public static let rtasSize: UInt32 = 1 << 16
    public static func firmwareBase(ramSize: UInt64) -> UInt64 { min(ramSize, 1 << 31) - firmwareSize }
    /// RTAS's entry point, as a kernel calls it (r3 = the argument buffer, in real mode):
    /// `mr r4,r3; li r3,0; ori r3,r3,0xf000; sc 1; blr` — H_RTAS with the buffer in r4.
    public static let rtasStub: [UInt32] = [0x7C64_1B78, 0x3C60_0000, 0x6063_F000, 0x4400_0022, 0x4E80_0020]

    public static func build(_ m: MachineDescription) throws(DeviceTreeError) -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: 64 << 10)
        let status: Int32 = buf.withUnsafeMutableBytes { raw in
            let fdt = raw.baseAddress!
            var err: Int32 = 0
            func check(_ r: Int32) { if r < 0 && err == 0 { err = r } }
            func prop(_ name: String, _ bytes: [UInt8]) { check(bytes.withUnsafeBytes { fdt_property(fdt, name, $0.baseAddress, Int32($0.count)) }) }
            func str(_ name: String, _ value: String) { prop(name, Array(value.utf8) + [0]) }
            func strings(_ name: String, _ values: [String]) { prop(name, values.flatMap { Array($0.utf8) + [0] }) }
            func u32(_ name: String, _ values: UInt32...) { prop(name, values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }) }
            func u64(_ name: String, _ values: UInt64...) { prop(name, values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v >> UInt64(56 - 8 * $0)) } }) }
            func empty(_ name: String) { check(fdt_property(fdt, name, nil, 0)) }
            func node(_ name: String, _ body: () -> Void) { check(fdt_begin_node(fdt, name)); body(); check(fdt_end_node(fdt)) }

            check(fdt_create(fdt, Int32(raw.count)))
            // RTAS's code and the tree must survive the guest's memory allocator.
            check(fdt_add_reservemap_entry(fdt, m.firmwareBase, DeviceTree.firmwareSize))
            check(fdt_finish_reservemap(fdt))
            node("") {
                u32("#address-cells", 2); u32("#size-cells", 2)
                str("compatible", "qemu,pseries"); str("model", "IBM pSeries (emulated by lpar)"); str("device_type", "chrp")
                node("chosen") {
                    str("bootargs", m.bootargs)
                    str("stdout-path", vtyPath); str("linux,stdout-path", vtyPath)
                    // What client-architecture-support would have agreed with a POWER9 kernel
                    // (option vector 5): byte 24 0x40 = radix MMU, byte 26 0x40 = GTSE (guest
                    // tlbie). Linux's pseries setup requires both for radix.
                    var vec5 = [UInt8](repeating: 0, count: 27)
                    vec5[24] = 0x40; vec5[26] = 0x40
                    prop("ibm,architecture-vec-5", vec5)
                }
                node("memory@0") {
                    str("device_type", "memory")
                    u64("reg", 0, m.ramSize)
                }
                node("cpus") {
                    u32("#address-cells", 1); u32("#size-cells", 0)
                    // As QEMU lays out -smp N,threads=T: one node per core, named and `reg`'d by
                    // its first thread's server number, listing its threads' server numbers.
                    let threads = max(m.threadsPerCore, 1)
                    for core in stride(from: 0, to: max(m.processors, 1), by: threads) {
                        let servers = (core..<min(core + threads, max(m.processors, 1))).map { UInt32($0) }
                        node("PowerPC,POWER9@" + String(core, radix: 16)) {
                            str("device_type", "cpu"); u32("reg", UInt32(core))
                            prop("ibm,ppc-interrupt-server#s", servers.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } })
                            u32("timebase-frequency", 512_000_000); u32("clock-frequency", 1_000_000_000)
                            u32("d-cache-block-size", 128); u32("i-cache-block-size", 128)
                            u32("d-cache-line-size", 128); u32("i-cache-line-size", 128)
                            empty("64-bit")
                            // The vector facilities, as QEMU's pseries says them for POWER9:
                            // 2 = VMX and VSX (docs/VECTOR.md); no DFP.
                            u32("ibm,vmx", 2)
                            // Radix page sizes 4K, 64K, 2M, 1G with their tlbie AP codes (top 3
                            // bits), as POWER9 firmware lists them; Linux reads it, tlbie decodes AP alike.
                            u32("ibm,processor-radix-AP-encodings", 0x0000_000C, 0xA000_0010, 0x2000_0015, 0x4000_001E)
                        }
                    }
                }
                // XICS, as QEMU's ic-mode=xics describes it: one presentation node whose server
                // range covers every vCPU (Linux's xics_spapr and kvm-unit-tests find it here).
                node("interrupt-controller") {
                    str("device_type", "PowerPC-External-Interrupt-Presentation")
                    str("compatible", "IBM,ppc-xicp")
                    empty("interrupt-controller")
                    u32("ibm,interrupt-server-ranges", 0, UInt32(max(m.processors, 1)))
                    u32("#interrupt-cells", 2); u32("#address-cells", 0)
                }
                node("vdevice") {
                    str("device_type", "vdevice"); str("compatible", "IBM,vdevice")
                    u32("#address-cells", 1); u32("#size-cells", 0)
                    node("vty@30000000") {
                        str("name", "vty"); str("device_type", "serial"); str("compatible", "hvterm1")
                        u32("reg", 0x3000_0000)
                    }
                }
                node("rtas") {
                    for call in RTAS.calls { u32(call.name, call.token) }
                    strings("ibm,hypertas-functions", HypercallTable.functionSets)
                    u32("linux,rtas-base", UInt32(m.rtasBase)); u32("linux,rtas-entry", UInt32(m.rtasBase))
                    u32("rtas-size", DeviceTree.rtasSize); u32("rtas-version", 1)
                }
                if !m.nvdimms.isEmpty {
                    node("ibm,persistent-memory") {
                        u32("#address-cells", 1); u32("#size-cells", 0)
                        str("device_type", "ibm,persistent-memory")
                        for d in m.nvdimms {
                            node("ibm,pmemory@" + String(d.drcIndex, radix: 16)) {
                                u32("reg", d.drcIndex)
                                str("compatible", "ibm,pmemory"); str("device_type", "ibm,pmemory")
                                str("ibm,unit-guid", d.config.uuid ?? defaultUUID(d.drcIndex))
                                u32("ibm,my-drc-index", d.drcIndex)
                                u64("ibm,block-size", d.config.blockSize)
                                u64("ibm,number-of-blocks", d.blockCount)
                                u32("ibm,metadata-size", UInt32(d.config.labelSize))
                                str("ibm,pmem-application", "operating-system")
                                empty("ibm,cache-flush-required")
                                empty("ibm,hcall-flush-required")
                            }
                        }
                    }
                }
            }
            check(fdt_finish(fdt))
            return err
        }
        guard status == 0 else { throw .libfdt("fdt_*", status) }
        let total = Int(buf[4]) << 24 | Int(buf[5]) << 16 | Int(buf[6]) << 8 | Int(buf[7])
        return Array(buf.prefix(total))
    }

    /// A fixed, non-zero UUID per slot when the user gave none (QEMU insists on one).
    static func defaultUUID(_ drc: UInt32) -> String {
        let h = String(drc, radix: 16)
        return "6c706172-0000-4000-8000-0000" + String(repeating: "0", count: 8 - h.count) + h
    }
}
