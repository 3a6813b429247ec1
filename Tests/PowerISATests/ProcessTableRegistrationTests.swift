import XCTest
import PowerISA

/// H_REGISTER_PROCESS_TABLE's operand checks, as QEMU's h_register_process_table makes them
/// (flags 0x10 MODIFY, 0x08 REGISTER, 0x04 RADIX, 0x02 hash segment tables, 0x01 GTSE).
final class ProcessTableRegistrationTests: XCTestCase {
    typealias Registration = ProcessTableRegistration
    let existing = ProcessTableRegistration(base: 0x10000, sizeField: 0)

    func apply(_ flags: UInt64, _ base: UInt64, _ pageSize: UInt64 = 0, _ size: UInt64 = 0,
               current: ProcessTableRegistration? = nil) -> Result<ProcessTableRegistration?, Registration.Rejection> {
        Registration.apply(flags: flags, base: base, pageSize: pageSize, tableSize: size, current: current)
    }

    func testKvmUnitTestsRegistration() {
        // kvm-unit-tests: hcall(H_REGISTER_PROCESS_TABLE, PTBL_NEW | PTBL_RADIX | PTBL_GTSE,
        // table, 0, 0) with PTBL_NEW 0x18, PTBL_RADIX 0x04, PTBL_GTSE 0x01: a 4K table.
        let result = apply(0x18 | 0x04 | 0x01, 0x0123_4000)
        XCTAssertEqual(result, .success(Registration(base: 0x0123_4000, sizeField: 0, guestTranslationShootdown: true)))
        XCTAssertEqual(try result.get()?.sizeInBytes, 4096)
        XCTAssertEqual(try result.get()?.entryCount, 256)
    }

    func testLinuxRegistrationSize() {
        // Linux passes PRTB_SIZE_SHIFT − 12 = 24 − 12 = 12 on POWER9 (20 PID bits + 4): 16 MiB,
        // 2^20 PIDs; without GTSE when the platform lacks it.
        let result = apply(0x18 | 0x04, 0x0200_0000, 0, 12)
        XCTAssertEqual(try result.get()?.sizeInBytes, 16 << 20)
        XCTAssertEqual(try result.get()?.entryCount, 1 << 20)
        XCTAssertEqual(try result.get()?.guestTranslationShootdown, false)
    }

    func testOperandChecks() {
        XCTAssertEqual(apply(0x18 | 0x04 | 0x20, 0x10000), .failure(.parameter), "reserved flag bit")
        XCTAssertEqual(apply(0x18 | 0x04, 0x10800), .failure(.p2), "base not 4K-aligned")
        XCTAssertEqual(apply(0x18 | 0x04, 1 << 60), .failure(.p2), "base not below 2^60")
        XCTAssertEqual(apply(0x18 | 0x04, 0x10000, 0x10), .failure(.p3), "page size given for radix")
        XCTAssertEqual(apply(0x18 | 0x04, 0x10000, 0, 25), .failure(.p4), "size above 24")
        XCTAssertEqual(try apply(0x18 | 0x04, 0x10000, 0, 24).get()?.sizeInBytes, 1 << 36)
        XCTAssertEqual(apply(0x18, 0x10000), .failure(.parameter), "a hashed page table")
        XCTAssertEqual(apply(0x18 | 0x02, 0x10000), .failure(.parameter), "hash with segment tables")
    }

    func testUnregisterAndKeep() {
        XCTAssertEqual(apply(0x10, 0, current: existing), .success(nil), "MODIFY without REGISTER")
        // No MODIFY: keep, as long as RADIX matches the radix table lpar holds.
        XCTAssertEqual(apply(0x04, 0, current: existing), .success(existing))
        XCTAssertEqual(apply(0x00, 0, current: existing), .failure(.parameter))
    }
}
