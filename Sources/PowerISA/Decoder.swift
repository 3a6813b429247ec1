/// Turns instruction words into operations, using only `InstructionTable.specs`.
///
/// The table is indexed by the primary opcode and word bits 21-30 (where every extended opcode
/// lives); each slot holds the one operation whose fixed bits can match there, or a short list
/// when several can (e.g. `mfcr`/`mfocrf`, which differ in bit 11). A final full mask compare
/// rejects words with wrong fixed bits. Decoding happens once per instruction address thanks to
/// the predecode cache, so this favours clarity over the last cycle.
public final class Decoder: @unchecked Sendable {
    public static let shared = Decoder()

    private static let multiple: UInt16 = 0xFFFF
    private var slots = [UInt16](repeating: 0, count: 1 << 16)
    private var lists: [Int: [Int]] = [:]
    private let specs = InstructionTable.specs

    private init() {
        for (i, s) in specs.enumerated() {
            let po = Int(s.match >> 26)
            let xoMask = s.mask & 0x7FE, xoMatch = s.match & 0x7FE
            for v in 0..<1024 where (UInt32(v) << 1) & xoMask == xoMatch {
                let slot = po << 10 | v
                switch slots[slot] {
                case 0: slots[slot] = UInt16(i + 1)
                case Self.multiple: lists[slot]!.append(i)
                case let first: lists[slot] = [Int(first) - 1, i]; slots[slot] = Self.multiple
                }
            }
        }
    }

    /// The operation of `word`, or `.invalid`.
    public func decode(_ word: UInt32) -> Op {
        let slot = Int(word >> 26) << 10 | Int((word >> 1) & 0x3FF)
        let entry = slots[slot]
        if entry == 0 { return .invalid }
        if entry != Self.multiple {
            let s = specs[Int(entry) - 1]
            return s.matches(word) ? s.op : .invalid
        }
        for i in lists[slot]! where specs[i].matches(word) { return specs[i].op }
        return .invalid
    }

    /// Every table row whose fixed bits match `word` (more than one means the table is ambiguous).
    public func allMatches(_ word: UInt32) -> [Op] {
        specs.filter { $0.matches(word) }.map(\.op)
    }
}
