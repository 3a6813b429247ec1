import XCTest
import PAPR

final class SizeParserTests: XCTestCase {
    func testUnitsAreBinary() {
        XCTAssertEqual(SizeParser.parse("256M"), 268_435_456)   // 256 × 2^20
        XCTAssertEqual(SizeParser.parse("1G"), 1_073_741_824)   // 2^30
        XCTAssertEqual(SizeParser.parse("128k"), 131_072)       // 128 × 1024
        XCTAssertEqual(SizeParser.parse("4096"), 4096)
    }

    func testRejectsWhatIsNotASize() {
        for bad in ["", "M", "lots", "-1G", "1.5G", "1X", "1GiB", "99999999999999999999", "20000000000T"] {
            XCTAssertNil(SizeParser.parse(bad), bad)
        }
    }
}
