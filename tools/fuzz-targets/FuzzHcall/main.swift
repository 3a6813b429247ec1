#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import PowerISA
import PAPR
import FuzzSupport

// Fuzzes the hypervisor: a sequence of hcalls with random opcodes and r4-r12 (shaped towards
// guest-memory edges by FuzzInput.address) and random MSR[PR], against two NVDIMMs backed by
// files in a temp directory. Any status is fine; a trap, an ASan report, or a host access
// outside the arena (guard pages) is a bug. Continuation tokens carry state between calls of
// one input, so a sequence can bind, unbind and continue.
//
// Input: knobs (1 byte: blocks per call, continue status, slow flush), then repeated records of
// {selector (1 byte), raw r3 (8), PR (1), r4-r12 (9 x 9 bytes)}.

nonisolated(unsafe) var configs: [NVDIMMConfig] = []
nonisolated(unsafe) var directory = ""

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    var template = Array("/tmp/lpar-fuzz-hcall-XXXXXX".utf8CString)
    guard mkdtemp(&template) != nil else { fatalError("mkdtemp") }
    directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // Small blocks so binds and unbinds are cheap; a read-only DIMM for the refusal paths.
    var a = NVDIMMConfig(path: directory + "/nv0.img", size: 256 << 10, labelSize: 128 << 10)
    a.blockSize = 64 << 10
    var b = NVDIMMConfig(path: directory + "/nv1.img", size: 128 << 10, labelSize: 64 << 10)
    b.blockSize = 64 << 10
    configs = [a, b]
    // Create the files once, then open the second one read-only from then on.
    _ = try! SCMController.open(configs, memory: try! GuestMemory(ramSize: 1 << 20, deviceSize: SCMController.deviceRegionSize(configs)), markInUse: false)
    configs[1].readonly = true
    atexit { _ = system("rm -rf '\(directory)'") }
    return 0
}

let opcodes: [UInt64] = HypercallTable.all.map(\.opcode)

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    // A fresh machine per input, so a crash replays from its input alone.
    let (memory, guarded) = ArenaGuards.memory(ramSize: 1 << 20, deviceSize: SCMController.deviceRegionSize(configs))
    defer { if guarded { ArenaGuards.remove(around: memory) } }
    let hv = Hypervisor(memory: memory, console: Console(outputFD: -1, inputFD: -1))
    hv.scm = try! SCMController.open(configs, memory: memory, markInUse: false)
    // The first byte picks the controller's knobs, as --scm-blocks-per-call (any UInt64),
    // --scm-continue-status and --scm-slow-flush would.
    let knobs = input.u8()
    hv.scm.blocksPerCall = [1, 2, 3, UInt64.max][Int(knobs & 3)]
    hv.scm.continueStatus = knobs & 4 != 0 ? HcallStatus.busy : HcallStatus.continue
    hv.scm.slowFlush = knobs & 8 != 0
    let cpu = CPU()
    var calls = 0
    while input.remaining > 0 && calls < 64 {
        calls += 1
        let selector = input.u8(), raw = input.u64()
        // Mostly implemented opcodes (picked by index); sometimes any 64-bit r3, e.g. a known
        // opcode with high bits set, which must not alias it.
        cpu.gpr[3] = selector < 224 ? opcodes[Int(selector) % opcodes.count] : raw
        cpu.msr = MSR.sf | (input.u8() & 1 == 1 ? MSR.pr : 0)
        for r in 4...12 { cpu.gpr[r] = input.address(in: memory) }
        // RTAS and the performance-stats buffer read guest memory: give it something to read.
        if calls == 1 { try! memory.write((0..<64).map { _ in input.u8() }, at: 0x100) }
        let record = hv.hypercall(cpu: cpu)
        _ = record.status
        hv.exitStatus = nil
    }
    return 0
}

/// The entry point SwiftPM links as `main` (it renames an executable's main to <Target>_main).
@_cdecl("FuzzHcall_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv) { data, size in testOneInput(data, size) }
}
