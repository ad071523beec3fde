/// Whether text is a plausible host for links: a name or address with an optional port
/// (letters, digits, `.-:[]`), shorter than 256 bytes. Request text that fails goes nowhere
/// near a link.
enum HostName {
    static func isPlausible(_ text: Substring) -> Bool {
        text.utf8.count < 256 && text.utf8.allSatisfy(isHostByte)
    }

    static func isHostByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
            UInt8(ascii: "["), UInt8(ascii: "]"):
            return true
        default: return false
        }
    }
}
