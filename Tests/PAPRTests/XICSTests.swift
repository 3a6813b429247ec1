import XCTest
@testable import PAPR

/// The XICS presenter's rules (PAPR's interrupt presentation layer; Linux icp-hv.c is its
/// client): priority 0 is the most favored, an interrupt is presented only when it beats the
/// CPPR, H_XIRR accepts it (returning the old CPPR and the source, raising the CPPR to its
/// priority), H_EOI restores the CPPR.
final class XICSTests: XCTestCase {
    func testIPIIsPresentedOnlyWhenItBeatsTheCPPR() {
        let x = XICS(servers: 2)
        var lines: [(Int, Bool)] = []
        x.lineChanged = { lines.append(($0, $1)) }
        // At reset CPPR = 0: nothing can be presented; an IPI at priority 4 waits in the MFRR.
        x.setMFRR(1, 4)
        XCTAssertEqual(x.presenters[1].xisr, 0)
        XCTAssertFalse(lines.contains { $0.1 })
        // CPPR 5 lets priority 4 through (4 < 5): the IPI (source 2) is presented on server 1.
        x.setCPPR(1, 5)
        XCTAssertEqual(x.presenters[1].xirr, 0x0500_0002)
        XCTAssertTrue(lines.last! == (1, true))
        XCTAssertEqual(x.presenters[0].xisr, 0, "server 0 is untouched")
    }

    func testAcceptAndEndOfInterrupt() {
        let x = XICS(servers: 1)
        x.setCPPR(0, 0xFF)
        x.setMFRR(0, 4)
        // H_XIRR: XIRR = old CPPR 0xFF, source 2; the CPPR becomes 4 and nothing is pending.
        XCTAssertEqual(x.accept(0), 0xFF00_0002)
        XCTAssertEqual(x.presenters[0].cppr, 4)
        XCTAssertEqual(x.presenters[0].xisr, 0)
        // A second read is spurious: source 0.
        XCTAssertEqual(x.accept(0), 0x0400_0000)
        // The handler withdraws the IPI (MFRR 0xFF) and EOIs with the XIRR it read: CPPR 0xFF.
        x.setMFRR(0, 0xFF)
        x.endOfInterrupt(0, 0xFF00_0002)
        XCTAssertEqual(x.presenters[0].cppr, 0xFF)
        XCTAssertEqual(x.presenters[0].xisr, 0)
    }

    func testEOIWithTheIPIStillRequestedPresentsItAgain() {
        let x = XICS(servers: 1)
        x.setCPPR(0, 0xFF)
        x.setMFRR(0, 4)
        _ = x.accept(0)
        x.endOfInterrupt(0, 0xFF00_0002)   // MFRR still 4, CPPR back to 0xFF: 4 < 0xFF
        XCTAssertEqual(x.presenters[0].xirr, 0xFF00_0002)
    }

    func testRaisingTheCPPRRejectsAPendingInterrupt() {
        let x = XICS(servers: 1)
        x.setCPPR(0, 5)
        x.setMFRR(0, 4)
        XCTAssertEqual(x.presenters[0].xisr, 2)
        x.setCPPR(0, 4)                    // 4 no longer beats 4: rejected, waits in the MFRR
        XCTAssertEqual(x.presenters[0].xisr, 0)
        XCTAssertEqual(x.presenters[0].mfrr, 4)
    }
}
