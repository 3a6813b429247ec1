import GuestMemory

/// The NVDIMMs of a partition, their bindings into guest physical memory, and the state of
/// long operations the guest continues with a continue-token.
public final class SCMController {
    public static let bindAnyAddress = UInt64.max
    public let nvdimms: [NVDIMM]
    let memory: GuestMemory?
    /// At most this many blocks are bound, unbound or flushed per hcall; the rest is continued.
    public var blocksPerCall: UInt64 = 1
    /// What "call again" is: H_CONTINUE (the seed document) or H_BUSY (what Linux's papr_scm loops on).
    public var continueStatus: Int64 = HcallStatus.busy
    /// H_SCM_FLUSH answers H_LONG_BUSY_ORDER_10_MSEC once before completing (as QEMU's async flush).
    public var slowFlush = false

    /// One bound block: NVDIMM index and block → guest physical address.
    struct BlockKey: Hashable { let dimm: Int; let block: UInt64 }
    var bound: [BlockKey: UInt64] = [:]

    enum Operation {
        case bind(dimm: Int, next: UInt64, end: UInt64, address: UInt64, done: UInt64)
        case unbind(dimm: Int, next: UInt64, end: UInt64, done: UInt64)
        case unbindAll(dimms: [Int], done: UInt64)
        case flush(dimm: Int)
    }
    var operations: [UInt64: Operation] = [:]
    var nextToken: UInt64 = 0x10

    public init(nvdimms: [NVDIMM] = [], memory: GuestMemory? = nil) {
        self.nvdimms = nvdimms
        self.memory = memory
    }

    /// Opens each configured NVDIMM, placing them one after another in the device-memory region
    /// (as QEMU's memory-device allocator does) starting at `deviceBase`.
    public static func open(_ configs: [NVDIMMConfig], memory: GuestMemory, markInUse: Bool = true) throws(NVDIMMError) -> SCMController {
        var dimms: [NVDIMM] = []
        var address = memory.deviceBase
        for (slot, c) in configs.enumerated() {
            let align = max(c.blockSize, 1)
            address = (address + align - 1) / align * align
            dimms.append(try NVDIMM(config: c, slot: slot, homeAddress: address, markInUse: markInUse))
            address += c.size
        }
        return SCMController(nvdimms: dimms, memory: memory)
    }

    /// Bytes of device-memory region the NVDIMMs need (for `GuestMemory(deviceSize:)`).
    public static func deviceRegionSize(_ configs: [NVDIMMConfig]) -> UInt64 {
        // Saturating: configs from NVDIMMConfig.parse are capped, but a caller may build any.
        configs.reduce(0) { total, c in
            let (aligned, o1) = total.addingReportingOverflow(max(c.blockSize, 1) - 1)
            let (sum, o2) = (aligned / max(c.blockSize, 1) * max(c.blockSize, 1)).addingReportingOverflow(c.size)
            return o1 || o2 ? UInt64.max : sum
        }
    }

    /// The NVDIMM a DRC index names (QEMU looks only at the low 32 bits).
    func dimm(_ drc: UInt64) -> Int? {
        let index = UInt32(truncatingIfNeeded: drc)
        return nvdimms.firstIndex { $0.drcIndex == index }
    }

    func newToken(_ op: Operation) -> UInt64 {
        let t = nextToken
        nextToken += 0x10
        operations[t] = op
        return t
    }

    /// True when `[start, start + length)` touches RAM, another binding, or leaves the region.
    func addressUnusable(_ start: UInt64, _ length: UInt64) -> Bool {
        guard let memory else { return true }
        guard start >= memory.deviceBase, length <= memory.deviceSize,
              start - memory.deviceBase <= memory.deviceSize - length else { return true }
        return memory.windows.contains { start < $0.end && $0.start < start + length }
    }

    /// Why an explicit BIND_MEM target cannot take `blocks` blocks, or nil when it can: not
    /// block-aligned → H_P4 (argument 4 is bad); in RAM or on another binding → H_OVERLAP; running
    /// past the end of the device-memory region → H_TOO_BIG.
    func targetRefusal(_ target: UInt64, blocks: UInt64, blockSize bs: UInt64) -> Int64? {
        guard target % bs == 0 else { return HcallStatus.p4 }
        guard let memory, target >= memory.deviceBase else { return HcallStatus.overlap }
        let (length, overflow) = blocks.multipliedReportingOverflow(by: bs)
        let offset = target - memory.deviceBase
        guard !overflow, offset <= memory.deviceSize, length <= memory.deviceSize - offset else { return HcallStatus.tooBig }
        return addressUnusable(target, length) ? HcallStatus.overlap : nil
    }

    /// An asynchronous flush (`--scm-slow-flush`) of NVDIMM `d` is outstanding: its memory must
    /// stay bound until the guest has collected the flush's result.
    func flushOutstanding(_ d: Int) -> Bool {
        operations.values.contains { if case .flush(let od) = $0 { return od == d } else { return false } }
    }

    // MARK: - The hcalls (registers as in the table in SCMHypercalls.swift)

    func readMetadata(_ r: inout HcallRegisters) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        let offset = r[1], len = r[2]
        guard [1, 2, 4, 8].contains(len) else { return HcallStatus.p3 }
        let (end, overflow) = offset.addingReportingOverflow(len)
        guard !overflow, end <= nvdimms[d].config.labelSize else { return HcallStatus.p2 }
        guard let v = nvdimms[d].readLabel(offset: offset, length: Int(len)) else { return HcallStatus.hardware }
        r[0] = v
        return HcallStatus.success
    }

    func writeMetadata(_ r: inout HcallRegisters) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        let offset = r[1], data = r[2], len = r[3]
        guard [1, 2, 4, 8].contains(len) else { return HcallStatus.p4 }
        let (end, overflow) = offset.addingReportingOverflow(len)
        guard !overflow, end <= nvdimms[d].config.labelSize, !nvdimms[d].config.readonly else { return HcallStatus.p2 }
        guard len == 8 || data >> (8 * len) == 0 else { return HcallStatus.p2 }
        return nvdimms[d].writeLabel(offset: offset, value: data, length: Int(len)) ? HcallStatus.success : HcallStatus.hardware
    }

    func bind(_ r: inout HcallRegisters) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        let dimm = nvdimms[d], bs = dimm.config.blockSize
        var op: Operation
        if r[4] != 0 {
            guard case .bind(let od, _, _, _, _)? = operations[r[4]], od == d else { return HcallStatus.p5 }
            op = operations.removeValue(forKey: r[4])!
        } else {
            let start = r[1], count = r[2], target = r[3]
            guard start <= dimm.blockCount else { return HcallStatus.p2 }
            let (end, overflow) = start.addingReportingOverflow(count)
            guard !overflow, end <= dimm.blockCount else { return HcallStatus.p3 }
            for b in start..<end where bound[BlockKey(dimm: d, block: b)] != nil { return HcallStatus.overlap }
            let address: UInt64
            if target == Self.bindAnyAddress {
                address = dimm.homeAddress + start * bs
            } else if let refusal = targetRefusal(target, blocks: end - start, blockSize: bs) {
                return refusal
            } else {
                address = target
            }
            if address % bs != 0 || addressUnusable(address, count * bs) { return HcallStatus.overlap }
            op = .bind(dimm: d, next: start, end: end, address: address, done: 0)
        }
        guard case .bind(_, var next, let end, let address, var done) = op else { return HcallStatus.p5 }
        let chunk = min(end - next, blocksPerCall)
        if chunk > 0 {
            do {
                try memory?.mapWindow(start: address + done * bs, length: chunk * bs, fd: dimm.fd,
                                      fileOffset: next * bs, writable: !dimm.config.readonly)
            } catch {
                return HcallStatus.hardware
            }
            for i in 0..<chunk { bound[BlockKey(dimm: d, block: next + i)] = address + (done + i) * bs }
        }
        next += chunk
        done += chunk
        r[1] = address
        r[2] = done
        if next < end {
            r[0] = newToken(.bind(dimm: d, next: next, end: end, address: address, done: done))
            return continueStatus
        }
        r[0] = 0
        return HcallStatus.success
    }

    /// Unbinds blocks of NVDIMM `d` in [next, end) at most `blocksPerCall` at a time; returns how many.
    func unbindSome(_ d: Int, _ blocks: [UInt64]) -> UInt64 {
        let bs = nvdimms[d].config.blockSize
        for b in blocks {
            if let address = bound.removeValue(forKey: BlockKey(dimm: d, block: b)) {
                memory?.unmapWindows(start: address, length: bs)
            }
        }
        return UInt64(blocks.count)
    }

    func unbind(_ r: inout HcallRegisters) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        let dimm = nvdimms[d], bs = dimm.config.blockSize
        var next: UInt64, end: UInt64, done: UInt64
        if r[3] != 0 {
            guard case .unbind(let od, let n, let e, let dn)? = operations[r[3]], od == d else { return HcallStatus.p4 }
            operations[r[3]] = nil
            (next, end, done) = (n, e, dn)
        } else {
            let address = r[1], count = r[2]
            guard address % bs == 0 else { return HcallStatus.p2 }
            let (length, overflow) = count.multipliedReportingOverflow(by: bs)
            guard count > 0, !overflow, address <= UInt64.max - length else { return HcallStatus.p3 }
            // Every block of the range must be bound, to this NVDIMM, contiguously from `address`.
            guard let first = bound.first(where: { $0.key.dimm == d && $0.value == address })?.key.block else { return HcallStatus.p2 }
            for i in 0..<count {
                let a = address + i * bs
                guard first + i < dimm.blockCount, bound[BlockKey(dimm: d, block: first + i)] == a else {
                    // The range runs into another NVDIMM's binding, or into unbound memory.
                    return bound.contains { $0.key.dimm != d && $0.value == a } ? HcallStatus.overlap : HcallStatus.p3
                }
            }
            guard !flushOutstanding(d) else { return HcallStatus.inUse }
            (next, end, done) = (first, first + count, 0)
        }
        let chunk = min(end - next, blocksPerCall)
        done += unbindSome(d, Array(next..<next + chunk))
        next += chunk
        r[1] = done
        if next < end {
            r[0] = newToken(.unbind(dimm: d, next: next, end: end, done: done))
            return continueStatus
        }
        r[0] = 0
        return HcallStatus.success
    }

    func unbindAll(_ r: inout HcallRegisters) -> Int64 {
        var dimms: [Int], done: UInt64
        if r[2] != 0 {
            // The token is the third argument (QEMU, which never continues, answers H_P4).
            guard case .unbindAll(let ds, let dn)? = operations[r[2]] else { return HcallStatus.p3 }
            operations[r[2]] = nil
            (dimms, done) = (ds, dn)
        } else {
            switch r[0] {
            case 1: dimms = Array(nvdimms.indices)
            case 2:
                guard let d = dimm(r[1]) else { return HcallStatus.p2 }
                dimms = [d]
            default: return HcallStatus.parameter
            }
            done = 0
            guard !dimms.contains(where: flushOutstanding) else { return HcallStatus.inUse }
        }
        var budget = blocksPerCall
        for d in dimms where budget > 0 {
            // Clamped: --scm-blocks-per-call may be any UInt64, Int(UInt64.max) would trap.
            let blocks = bound.keys.filter { $0.dimm == d }.map(\.block).sorted().prefix(Int(clamping: budget))
            let n = unbindSome(d, Array(blocks))
            done += n
            budget -= n
        }
        r[1] = done
        if dimms.contains(where: { d in bound.keys.contains { $0.dimm == d } }) {
            r[0] = newToken(.unbindAll(dimms: dimms, done: done))
            return continueStatus
        }
        r[0] = 0
        return HcallStatus.success
    }

    func queryBlock(_ r: inout HcallRegisters) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        guard r[1] < nvdimms[d].blockCount else { return HcallStatus.p2 }
        guard let address = bound[BlockKey(dimm: d, block: r[1])] else { return HcallStatus.notFound }
        r[0] = address
        return HcallStatus.success
    }

    func queryLogical(_ r: inout HcallRegisters) -> Int64 {
        let gpa = r[0]
        for (key, address) in bound {
            let bs = nvdimms[key.dimm].config.blockSize
            if gpa >= address && gpa - address < bs {
                r[0] = UInt64(nvdimms[key.dimm].drcIndex)
                r[1] = key.block
                return HcallStatus.success
            }
        }
        return HcallStatus.notFound
    }

    /// Every health bit PAPR defines (0-9) is reported as valid.
    public static let healthValidMask: UInt64 = 0xFFC0_0000_0000_0000

    func health(_ r: inout HcallRegisters) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        let dimm = nvdimms[d]
        var bits = dimm.config.health
        if dimm.lastShutdownDirty { bits |= 1 << 62 }   // SHUTDOWN_DIRTY
        r[0] = bits
        r[1] = Self.healthValidMask
        return HcallStatus.success
    }

    /// The statistics lpar measures, in the order they are reported.
    func statistics(_ d: NVDIMM) -> [(id: String, value: UInt64)] {
        [("CtlResCt", 0), ("CtlResTm", 0), ("PonSecs ", (NVDIMM.now() - d.openedAt) / 1_000_000_000),
         ("MemLife ", 100), ("CritRscU", 0),
         ("HostLCnt", d.labelReads), ("HostSCnt", d.labelWrites),
         ("HostLDur", d.labelReadNanos / 1000), ("HostSDur", d.labelWriteNanos / 1000),
         ("MedRCnt ", d.labelReads), ("MedWCnt ", d.labelWrites + d.flushes)]
    }

    func performanceStats(_ r: inout HcallRegisters, memory guestMemory: GuestMemory) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        let stats = statistics(nvdimms[d])
        let buffer = r[1], size = r[2]
        if buffer == 0 {
            r[0] = UInt64(16 + 16 * stats.count)
            return HcallStatus.success
        }
        // The seed document's codes: the buffer is a bad parameter; a header lpar cannot serve is
        // unsupported; a partition not allowed to collect statistics lacks the authority.
        guard nvdimms[d].config.statistics else { return HcallStatus.authority }
        guard size >= 16, guestMemory.isMapped(buffer, size) else { return HcallStatus.parameter }
        guard let header = try? guestMemory.read(buffer, count: 16) else { return HcallStatus.parameter }
        guard Array(header[0..<8]) == Array("SCMSTATS".utf8) else { return HcallStatus.parameter }
        guard header[8...11].elementsEqual([0, 0, 0, 1]) else { return HcallStatus.unsupported }
        let requested = Int(header[12...15].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        var out: [(id: String, value: UInt64)]
        if requested == 0 {
            out = stats
        } else {
            guard UInt64(requested) <= (size - 16) / 16 else { return HcallStatus.parameter }
            guard let ids = try? guestMemory.read(buffer + 16, count: 16 * requested) else { return HcallStatus.parameter }
            out = []
            for i in 0..<requested {
                let raw = Array(ids[16 * i..<16 * i + 8])
                let id = String(decoding: raw, as: UTF8.self)
                guard let s = stats.first(where: { $0.id == id }) else {
                    r[0] = raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    return HcallStatus.partial
                }
                out.append(s)
            }
        }
        guard UInt64(16 + 16 * out.count) <= size else { return HcallStatus.parameter }
        var bytes = Array("SCMSTATS".utf8)
        bytes += [0, 0, 0, 1]
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: out.count >> (8 * (3 - $0))) }
        for s in out {
            bytes += Array(s.id.utf8)
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: s.value >> UInt64(8 * (7 - $0))) }
        }
        do { try guestMemory.write(bytes, at: buffer) } catch { return HcallStatus.parameter }
        return HcallStatus.success
    }

    func flush(_ r: inout HcallRegisters) -> Int64 {
        guard let d = dimm(r[0]) else { return HcallStatus.parameter }
        if r[1] != 0 {
            guard case .flush(let od)? = operations[r[1]], od == d else { return HcallStatus.p2 }
            operations[r[1]] = nil
            return nvdimms[d].flush() ? HcallStatus.success : HcallStatus.hardware
        }
        if slowFlush {
            // Started: the sync runs when the guest comes back with the token.
            r[0] = newToken(.flush(dimm: d))
            return HcallStatus.longBusy10ms
        }
        return nvdimms[d].flush() ? HcallStatus.success : HcallStatus.hardware
    }
}
