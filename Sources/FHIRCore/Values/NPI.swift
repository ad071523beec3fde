/// National Provider Identifiers with the Luhn check digit CMS specifies (prefix 80840).
public enum NPI {
    /// The 10-digit NPI for a 9-digit base.
    public static func make(base: Int) -> String {
        let text = String(base)
        let digits = String(repeating: "0", count: max(0, 9 - text.count)) + text
        return digits + String(checkDigit(digits))
    }

    public static func isValid(_ npi: String) -> Bool {
        guard npi.utf8.count == 10, npi.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        return checkDigit(String(npi.prefix(9))) == Int(npi.utf8.last!) - 48
    }

    static func checkDigit(_ nine: String) -> Int {
        var sum = 24  // the doubled-and-summed digits of the 80840 prefix
        for (i, ch) in nine.utf8.reversed().enumerated() {
            var d = Int(ch) - 48
            if i % 2 == 0 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return (10 - sum % 10) % 10
    }
}
