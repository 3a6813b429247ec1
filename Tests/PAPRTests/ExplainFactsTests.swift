import XCTest
import PAPR

/// `lpar explain` says what the external references say. The rows below are transcribed from
/// ../shared/docs/papr-facts.md (opcodes, argument and output registers) and from the seed
/// document's "Return Value" lists (papr_hcalls-2019.txt); the hcall table must agree.
final class ExplainFactsTests: XCTestCase {
    struct Fact {
        let name: String, opcode: UInt64, inputs: Int, outputs: Int
        let seedReturns: [String]
    }

    static let facts: [Fact] = [
        Fact(name: "H_GET_TERM_CHAR", opcode: 0x54, inputs: 1, outputs: 3, seedReturns: []),
        Fact(name: "H_PUT_TERM_CHAR", opcode: 0x58, inputs: 4, outputs: 0, seedReturns: []),
        Fact(name: "H_SCM_READ_METADATA", opcode: 0x3E4, inputs: 3, outputs: 1,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_P2", "H_P3", "H_HARDWARE"]),
        Fact(name: "H_SCM_WRITE_METADATA", opcode: 0x3E8, inputs: 4, outputs: 0,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_P2", "H_P4", "H_HARDWARE"]),
        Fact(name: "H_SCM_BIND_MEM", opcode: 0x3EC, inputs: 5, outputs: 3,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_P2", "H_P3", "H_P4", "H_OVERLAP", "H_TOO_BIG", "H_P5", "H_BUSY"]),
        Fact(name: "H_SCM_UNBIND_MEM", opcode: 0x3F0, inputs: 4, outputs: 2,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_P2", "H_P3", "H_IN_USE", "H_OVERLAP", "H_BUSY",
                           "H_LONG_BUSY_ORDER_1_MSEC", "H_LONG_BUSY_ORDER_10_MSEC"]),
        Fact(name: "H_SCM_QUERY_BLOCK_MEM_BINDING", opcode: 0x3F4, inputs: 2, outputs: 1,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_P2", "H_NOT_FOUND"]),
        Fact(name: "H_SCM_QUERY_LOGICAL_MEM_BINDING", opcode: 0x3F8, inputs: 1, outputs: 2,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_P2", "H_NOT_FOUND"]),
        Fact(name: "H_SCM_UNBIND_ALL", opcode: 0x3FC, inputs: 3, outputs: 2,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_P2", "H_P3", "H_IN_USE", "H_BUSY",
                           "H_LONG_BUSY_ORDER_1_MSEC", "H_LONG_BUSY_ORDER_10_MSEC"]),
        Fact(name: "H_SCM_HEALTH", opcode: 0x400, inputs: 1, outputs: 2,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_HARDWARE"]),
        Fact(name: "H_SCM_PERFORMANCE_STATS", opcode: 0x418, inputs: 3, outputs: 1,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_UNSUPPORTED", "H_HARDWARE", "H_AUTHORITY", "H_PRIVILEGE"]),
        Fact(name: "H_SCM_FLUSH", opcode: 0x44C, inputs: 2, outputs: 1, seedReturns: []),
        Fact(name: "H_RTAS", opcode: 0xF000, inputs: 1, outputs: 0, seedReturns: []),
        // Processor, memory and shared-processor hcalls: opcodes from Linux's hvcall.h, argument
        // and output registers from QEMU's hw/ppc/spapr_hcall.c (args[n] is r(4+n)).
        Fact(name: "H_SET_SPRG0", opcode: 0x24, inputs: 1, outputs: 0, seedReturns: []),
        Fact(name: "H_PAGE_INIT", opcode: 0x2C, inputs: 3, outputs: 0, seedReturns: ["H_SUCCESS", "H_PARAMETER"]),
        Fact(name: "H_LOGICAL_CI_LOAD", opcode: 0x3C, inputs: 2, outputs: 1, seedReturns: ["H_SUCCESS", "H_PARAMETER"]),
        Fact(name: "H_LOGICAL_CI_STORE", opcode: 0x40, inputs: 3, outputs: 0, seedReturns: ["H_SUCCESS", "H_PARAMETER"]),
        Fact(name: "H_REGISTER_VPA", opcode: 0xDC, inputs: 3, outputs: 0,
             seedReturns: ["H_SUCCESS", "H_PARAMETER", "H_HARDWARE", "H_RESOURCE"]),
        Fact(name: "H_CEDE", opcode: 0xE0, inputs: 0, outputs: 0, seedReturns: ["H_SUCCESS"]),
        Fact(name: "H_CONFER", opcode: 0xE4, inputs: 2, outputs: 0, seedReturns: ["H_SUCCESS", "H_PARAMETER"]),
        Fact(name: "H_PROD", opcode: 0xE8, inputs: 1, outputs: 0, seedReturns: ["H_SUCCESS", "H_PARAMETER"]),
        Fact(name: "H_GET_CPU_CHARACTERISTICS", opcode: 0x1C8, inputs: 0, outputs: 2, seedReturns: ["H_SUCCESS"]),
        Fact(name: "H_RANDOM", opcode: 0x300, inputs: 0, outputs: 1, seedReturns: ["H_SUCCESS"]),
        Fact(name: "H_SET_MODE", opcode: 0x31C, inputs: 4, outputs: 0,
             seedReturns: ["H_SUCCESS", "H_P2", "H_P3", "H_P4", "H_UNSUPPORTED_FLAG"]),
    ]

    /// Seed-document codes lpar cannot give, each with the reason docs/PAPR.md states.
    static let notProduced: Set<String> = [
        // Unbinding is immediate; it continues with H_CONTINUE/H_BUSY, never long-busy.
        "H_SCM_UNBIND_MEM H_LONG_BUSY_ORDER_1_MSEC", "H_SCM_UNBIND_MEM H_LONG_BUSY_ORDER_10_MSEC",
        "H_SCM_UNBIND_ALL H_LONG_BUSY_ORDER_1_MSEC", "H_SCM_UNBIND_ALL H_LONG_BUSY_ORDER_10_MSEC",
        // One argument, and any address is a fair question: H_NOT_FOUND when nothing is bound.
        "H_SCM_QUERY_LOGICAL_MEM_BINDING H_PARAMETER", "H_SCM_QUERY_LOGICAL_MEM_BINDING H_P2",
        // The health bits come from memory and the sidecar read at start: nothing can fail.
        // Statistics are counters lpar keeps in memory: nothing can fail either.
        "H_SCM_HEALTH H_HARDWARE", "H_SCM_PERFORMANCE_STATS H_HARDWARE",
    ]

    func testTableMatchesTheFacts() {
        for fact in Self.facts {
            guard let spec = HypercallTable.spec(opcode: fact.opcode) else { XCTFail("\(fact.name) missing"); continue }
            XCTAssertEqual(spec.name, fact.name)
            XCTAssertEqual(spec.inputs.count, fact.inputs, "\(fact.name) inputs")
            XCTAssertEqual(spec.outputs.filter { !$0.name.isEmpty }.count, fact.outputs, "\(fact.name) outputs")
            let explained = HypercallExplainer.explain(spec)
            for code in fact.seedReturns where !Self.notProduced.contains("\(fact.name) \(code)") {
                XCTAssertTrue(explained.contains(code), "lpar explain \(fact.name) does not mention \(code)")
            }
        }
        // Every SCM hcall of the seed document is implemented.
        XCTAssertEqual(HypercallTable.all.filter { $0.name.hasPrefix("H_SCM_") }.count, 10)
    }
}
