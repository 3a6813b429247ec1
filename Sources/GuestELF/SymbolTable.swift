/// Addresses to names, for fault reports, traces and disassembly.
public final class SymbolTable: @unchecked Sendable {
    public struct Symbol: Sendable { public let name: String; public let address: UInt64; public let size: UInt64 }
    /// Sorted by address; at one address the first name read wins.
    private let sorted: [Symbol]
    private let byName: [String: UInt64]

    public init(symbols: [(name: String, address: UInt64, size: UInt64)]) {
        var seen = Set<UInt64>()
        sorted = symbols.map { Symbol(name: $0.name, address: $0.address, size: $0.size) }
            .sorted { $0.address < $1.address }
            .filter { seen.insert($0.address).inserted }
        var names: [String: UInt64] = [:]
        for s in symbols where names[s.name] == nil { names[s.name] = s.address }
        byName = names
    }

    public var all: [(name: String, address: UInt64, size: UInt64)] { sorted.map { ($0.name, $0.address, $0.size) } }

    /// The symbol at or below `address` that covers it: within its size when it has one, else up
    /// to the next symbol.
    public func lookup(_ address: UInt64) -> (name: String, offset: UInt64)? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].address <= address { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let s = sorted[lo - 1]
        let offset = address - s.address
        if s.size > 0 && offset >= s.size { return nil }
        return (s.name, offset)
    }

    /// `main+0x1c`, `main`, or `0x10001234` when no symbol covers the address.
    public func describe(_ address: UInt64) -> String {
        guard let (name, offset) = lookup(address) else { return "0x" + String(address, radix: 16) }
        return offset == 0 ? name : "\(name)+0x\(String(offset, radix: 16))"
    }

    public func address(of name: String) -> UInt64? { byName[name] }
}
