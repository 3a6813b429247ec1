// A target description (gdb manual, "Target Descriptions"): the architecture and the registers,
// grouped in named features, that gdb reads through qXfer:features:read:target.xml. The register
// numbers given here are the ones `p`/`P` use, and `g`/`G` carry every register in number order.

public struct GDBRegister: Equatable, Sendable {
    public var name: String
    public var bitSize: Int
    /// A gdb type name (`uint64`, `code_ptr`, `ieee_double`, `int`...) or one the feature defines.
    public var type: String
    public var regnum: Int
    /// gdb register group (`general`, `float`, `vector`), nil to let gdb decide.
    public var group: String?

    public init(_ name: String, bitSize: Int, type: String, regnum: Int, group: String? = nil) {
        self.name = name
        self.bitSize = bitSize
        self.type = type
        self.regnum = regnum
        self.group = group
    }

    public var byteCount: Int { bitSize / 8 }
}

/// Types a feature defines for its registers (`<vector>` and `<union>` elements).
public enum GDBTypeDefinition: Equatable, Sendable {
    case vector(id: String, elementType: String, count: Int)
    case union(id: String, fields: [(name: String, type: String)])

    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case let (.vector(i1, t1, c1), .vector(i2, t2, c2)): return i1 == i2 && t1 == t2 && c1 == c2
        case let (.union(i1, f1), .union(i2, f2)):
            return i1 == i2 && f1.map(\.name) == f2.map(\.name) && f1.map(\.type) == f2.map(\.type)
        default: return false
        }
    }
}

public struct GDBFeature: Equatable, Sendable {
    /// The feature name gdb's architecture code looks for, e.g. `org.gnu.gdb.power.core`.
    public var name: String
    public var types: [GDBTypeDefinition]
    public var registers: [GDBRegister]

    public init(name: String, types: [GDBTypeDefinition] = [], registers: [GDBRegister]) {
        self.name = name
        self.types = types
        self.registers = registers
    }
}

public struct GDBTargetDescription: Equatable, Sendable {
    /// A BFD architecture name, e.g. `powerpc:common64`.
    public var architecture: String
    public var features: [GDBFeature]

    public init(architecture: String, features: [GDBFeature]) {
        self.architecture = architecture
        self.features = features
    }

    /// All registers, in register-number order (the order of the `g` packet).
    public var registers: [GDBRegister] {
        features.flatMap(\.registers).sorted { $0.regnum < $1.regnum }
    }

    /// Why gdb would reject or misread this description: duplicate names or numbers, sizes that
    /// are not whole bytes, gaps in the numbering (the `g` packet has no way to skip one).
    public var problems: [String] {
        var found: [String] = []
        let regs = registers
        var names = Set<String>()
        for (i, r) in regs.enumerated() {
            if !names.insert(r.name).inserted { found.append("register name \(r.name) appears twice") }
            if r.bitSize <= 0 || r.bitSize % 8 != 0 { found.append("\(r.name): bitsize \(r.bitSize) is not a whole number of bytes") }
            if i > 0, regs[i - 1].regnum == r.regnum { found.append("register number \(r.regnum) is used by \(regs[i - 1].name) and \(r.name)") }
            if i > 0, regs[i - 1].regnum + 1 < r.regnum { found.append("register numbers skip from \(regs[i - 1].regnum) to \(r.regnum)") }
        }
        if let first = regs.first, first.regnum != 0 { found.append("register numbers start at \(first.regnum), not 0") }
        return found
    }

    /// The target.xml text.
    public var xml: String {
        var out = "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        out += "  <architecture>\(escaped(architecture))</architecture>\n"
        for feature in features {
            out += "  <feature name=\"\(escaped(feature.name))\">\n"
            for type in feature.types {
                switch type {
                case let .vector(id, elementType, count):
                    out += "    <vector id=\"\(escaped(id))\" type=\"\(escaped(elementType))\" count=\"\(count)\"/>\n"
                case let .union(id, fields):
                    out += "    <union id=\"\(escaped(id))\">\n"
                    for f in fields { out += "      <field name=\"\(escaped(f.name))\" type=\"\(escaped(f.type))\"/>\n" }
                    out += "    </union>\n"
                }
            }
            for r in feature.registers {
                out += "    <reg name=\"\(escaped(r.name))\" bitsize=\"\(r.bitSize)\" type=\"\(escaped(r.type))\" regnum=\"\(r.regnum)\""
                if let g = r.group { out += " group=\"\(escaped(g))\"" }
                out += "/>\n"
            }
            out += "  </feature>\n"
        }
        out += "</target>\n"
        return out
    }

    func escaped(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
