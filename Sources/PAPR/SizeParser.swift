/// Parses sizes as users write them: `256M`, `1G`, `131072`, `128K` (binary units).
public enum SizeParser {
    public static func parse(_ text: String) -> UInt64? {
        var digits = Substring(text.trimmingPrefixSpaces())
        var multiplier: UInt64 = 1
        if let last = digits.last, !last.isNumber {
            switch last.uppercased() {
            case "K": multiplier = 1 << 10
            case "M": multiplier = 1 << 20
            case "G": multiplier = 1 << 30
            case "T": multiplier = 1 << 40
            default: return nil
            }
            digits = digits.dropLast()
            if digits.last == "i" || digits.last == "I" { return nil }
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(digits) else { return nil }
        let (v, overflow) = n.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : v
    }
}

extension String {
    fileprivate func trimmingPrefixSpaces() -> String { String(drop { $0 == " " }) }
}
