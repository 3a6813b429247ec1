import XCTest
import CLibFDT
import GuestMemory
import PowerISA
import PAPR

/// RTAS through H_RTAS: the time of day on a fixed base and virtual time, the CPU-state calls,
/// and the device tree's /rtas node. Epoch seconds below are from `date -u -d DATE +%s`:
/// 2006-06-17 = 1150502400, 2006-06-17T16:01:21 = 1150560081, 2000-03-01 = 951868800,
/// 2000-02-28T23:59:59 = 951782399. A virtual second is 512,000,000 time-base ticks.
final class RTASTests: XCTestCase {
    let buffer: UInt64 = 0x8000
    let second: UInt64 = 512_000_000
    var memory: GuestMemory!
    var cpu: CPU!
    var hv: Hypervisor!
    var tb: UInt64 = 0

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: 1 << 20)
        cpu = CPU()
        cpu.msr = MSR.sf
        hv = Hypervisor(memory: memory, console: Console(outputFD: -1, inputFD: -1))
        hv.timeBase = { [unowned self] in self.tb }
        hv.timeOfDay = TimeOfDay(base: 1_150_502_400 * 1_000_000_000)
    }

    /// One RTAS call as kvm-unit-tests makes it: {token, nargs, nret, args, rets}; returns the
    /// hcall status and rets.
    func rtas(_ token: UInt32, _ args: [UInt32], nret: Int) -> (Int64, [Int32]) {
        memory.store32(buffer, token)
        memory.store32(buffer + 4, UInt32(args.count))
        memory.store32(buffer + 8, UInt32(nret))
        for (i, a) in args.enumerated() { memory.store32(buffer + 12 + 4 * UInt64(i), a) }
        let rets = buffer + 12 + 4 * UInt64(args.count)
        for i in 0..<nret { memory.store32(rets + 4 * UInt64(i), 0xA5A5_A5A5) }
        let status = hv.call(cpu: cpu, 0xF000, [buffer])
        return (status, (0..<nret).map { Int32(bitPattern: memory.load32(rets + 4 * UInt64($0))!) })
    }
    func getTimeOfDay() -> [Int32] { rtas(0x2001, [], nret: 8).1 }

    func testGetTimeOfDayIsTheBasePlusVirtualTime() {
        XCTAssertEqual(getTimeOfDay(), [0, 2006, 6, 17, 0, 0, 0, 0])
        // 1 day 1 h 1 min 1.5 s later: 90061.5 s.
        tb = 90_061 * second + second / 2
        XCTAssertEqual(getTimeOfDay(), [0, 2006, 6, 18, 1, 1, 1, 500_000_000])
        // One tick is 1.953125 ns: 64 ticks are exactly 125 ns.
        tb = 64
        XCTAssertEqual(getTimeOfDay()[7], 125)
    }

    func testSetTimeOfDayThenItRunsOn() {
        tb = 1000 * second
        // kvm-unit-tests' call: 23:59:59 28/2/2000 (nargs 7; the seventh, nanoseconds, 0 here).
        XCTAssertEqual(rtas(0x2002, [2000, 2, 28, 23, 59, 59, 0], nret: 1).1, [0])
        XCTAssertEqual(getTimeOfDay(), [0, 2000, 2, 28, 23, 59, 59, 0])
        tb += second
        XCTAssertEqual(getTimeOfDay(), [0, 2000, 2, 29, 0, 0, 0, 0], "2000 is a leap year")
        tb += 86_400 * second
        XCTAssertEqual(getTimeOfDay(), [0, 2000, 3, 1, 0, 0, 0, 0])
        XCTAssertEqual(hv.timeOfDay.offset, (951_782_399 - 1_150_502_400 - 1000) * 1_000_000_000)
    }

    func testSetTimeOfDayRefusesImpossibleDates() {
        for date: [UInt32] in [[2001, 2, 29, 0, 0, 0, 0], [2000, 13, 1, 0, 0, 0, 0], [2000, 4, 31, 0, 0, 0, 0],
                               [2000, 1, 1, 24, 0, 0, 0], [2000, 1, 1, 0, 60, 0, 0], [2000, 1, 1, 0, 0, 60, 0]] {
            XCTAssertEqual(rtas(0x2002, date, nret: 1).1, [-3], "\(date)")
        }
        XCTAssertEqual(hv.timeOfDay.offset, 0)
        // A nanosecond field out of range (kvm-unit-tests leaves it undefined) sets the second.
        XCTAssertEqual(rtas(0x2002, [2000, 2, 28, 23, 59, 59, 2_000_000_000], nret: 1).1, [0])
        XCTAssertEqual(getTimeOfDay(), [0, 2000, 2, 28, 23, 59, 59, 0])
        // Wrong argument counts: -3 (QEMU's RTAS_OUT_PARAM_ERROR).
        XCTAssertEqual(rtas(0x2002, [2000, 2, 28, 23, 59, 59], nret: 1).1, [-3])
        XCTAssertEqual(rtas(0x2001, [], nret: 7).1[0], -3)
    }

    func testCPUStateCallsForTheOneVCPU() {
        XCTAssertEqual(rtas(0x2005, [0], nret: 2).1, [0, 2], "query-cpu-stopped-state: 2 = running")
        XCTAssertEqual(rtas(0x2005, [1], nret: 2).1[0], -3, "no processor 1")
        XCTAssertEqual(rtas(0x2006, [1, 0x1000, 0], nret: 1).1, [-3], "start-cpu: no processor 1")
        XCTAssertEqual(rtas(0x2006, [0, 0x1000, 0], nret: 1).1, [-1], "processor 0 is running already")
    }

    func testCalendarConversions() {
        XCTAssertEqual(CalendarTime(year: 1970, month: 1, day: 1).nanosecondsSinceEpoch, 0)
        XCTAssertEqual(CalendarTime(year: 2000, month: 3, day: 1).nanosecondsSinceEpoch, 951_868_800 * 1_000_000_000)
        XCTAssertEqual(CalendarTime(nanosecondsSinceEpoch: 1_150_560_081 * 1_000_000_000),
                       CalendarTime(year: 2006, month: 6, day: 17, hour: 16, minute: 1, second: 21))
        // One nanosecond before the epoch is 1969-12-31T23:59:59.999999999.
        XCTAssertEqual(CalendarTime(nanosecondsSinceEpoch: -1),
                       CalendarTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59, nanosecond: 999_999_999))
    }

    func testRTCOption() throws {
        XCTAssertNil(try RTCOption.parse("base=utc"))
        XCTAssertEqual(try RTCOption.parse("base=2006-06-17"), 1_150_502_400 * 1_000_000_000)
        XCTAssertEqual(try RTCOption.parse("base=2006-06-17T16:01:21"), 1_150_560_081 * 1_000_000_000)
        for bad in ["2006-06-17", "base=", "base=2006-6-17", "base=2006-13-01", "base=2006-02-29", "base=2006-06-17T25:00:00",
                    "base=2006-06-17T16:01", "base=localtime", "base=2006-06-17,clock=vm", "base=+006-06-17"] {
            XCTAssertThrowsError(try RTCOption.parse(bad), bad) { XCTAssertTrue("\($0)".contains("--rtc"), "\($0)") }
        }
    }

    /// The /rtas node of the tree lpar gives a guest.
    func rtasProperty(_ name: String) throws -> [UInt8]? {
        let blob = try DeviceTree.build(MachineDescription(ramSize: 1 << 20, bootargs: "", nvdimms: []))
        return blob.withUnsafeBytes { raw -> [UInt8]? in
            let node = fdt_path_offset(raw.baseAddress!, "/rtas")
            guard node >= 0 else { return nil }
            var len: Int32 = 0
            guard let p = fdt_getprop(raw.baseAddress!, node, name, &len) else { return nil }
            return Array(UnsafeRawBufferPointer(start: p, count: Int(len)))
        }
    }

    func testCPUNodeSaysVMXAndVSX() throws {
        let blob = try DeviceTree.build(MachineDescription(ramSize: 1 << 20, bootargs: "", nvdimms: []))
        let value = blob.withUnsafeBytes { raw -> [UInt8]? in
            let node = fdt_path_offset(raw.baseAddress!, "/cpus/PowerPC,POWER9@0")
            guard node >= 0 else { return nil }
            var len: Int32 = 0
            guard let p = fdt_getprop(raw.baseAddress!, node, "ibm,vmx", &len) else { return nil }
            return Array(UnsafeRawBufferPointer(start: p, count: Int(len)))
        }
        XCTAssertEqual(value, [0, 0, 0, 2], "ibm,vmx = 2: VMX and VSX, as QEMU's pseries POWER9")
    }

    func testHypertasFunctionsComeFromTheTable() throws {
        // QEMU's and PAPR's names for the sets lpar implements; H_RANDOM, the CPU
        // characteristics and lpar's own calls are found without one.
        let want = ["hcall-sprg0", "hcall-copy", "hcall-debug", "hcall-term", "hcall-splpar", "hcall-set-mode", "hcall-scm"]
        XCTAssertEqual(HypercallTable.functionSets, want)
        let bytes = try XCTUnwrap(rtasProperty("ibm,hypertas-functions"))
        XCTAssertEqual(bytes, Array(want.joined(separator: "\0").utf8) + [0])
        for spec in HypercallTable.all where spec.functionSet == "hcall-splpar" {
            XCTAssertTrue(["H_REGISTER_VPA", "H_CEDE", "H_CONFER", "H_PROD"].contains(spec.name), spec.name)
        }
    }

    func testRTASTokensAreInTheTree() throws {
        for (name, token) in [("set-time-of-day", 0x2002), ("get-time-of-day", 0x2001), ("query-cpu-stopped-state", 0x2005), ("start-cpu", 0x2006)] {
            XCTAssertEqual(try rtasProperty(name), [0, 0, UInt8(token >> 8), UInt8(token & 0xFF)], name)
        }
    }
}
