/// National Provider Identifiers with the Luhn check digit CMS specifies (prefix 80840).
public enum NPI {
    /// The 10-digit NPI for a 9-digit base.
    public static func make(base: Int) -> String {
        let digits = String(base).paddingLeft(to: 9)
        return digits + String(checkDigit(digits))
    }

    public static func isValid(_ npi: String) -> Bool {
        guard npi.count == 10, npi.allSatisfy(\.isASCII), npi.allSatisfy(\.isNumber) else { return false }
        return checkDigit(String(npi.prefix(9))) == Int(String(npi.last!))!
    }

    static func checkDigit(_ nine: String) -> Int {
        var sum = 24  // the doubled-and-summed digits of the 80840 prefix
        for (i, ch) in nine.reversed().enumerated() {
            var d = Int(String(ch))!
            if i % 2 == 0 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return (10 - sum % 10) % 10
    }
}

extension String {
    func paddingLeft(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
