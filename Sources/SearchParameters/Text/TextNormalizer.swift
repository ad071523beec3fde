import Foundation

/// Folds text for FHIR string matching: case- and accent-insensitive, whitespace collapsed.
///
/// The index stores folded values and queries fold their input with this same function, so
/// `Muller`, `müller` and `MÜLLER` meet.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> String {
        var ascii = true
        for b in text.utf8 where b >= 0x80 {
            ascii = false
            break
        }
        let folded: String
        if ascii {
            // Most directory text is ASCII; avoid ICU for it.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for b in text.utf8 { bytes.append(b >= 0x41 && b <= 0x5A ? b + 32 : b) }
            folded = String(decoding: bytes, as: UTF8.self)
        } else {
            folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        }
        return collapseWhitespace(folded)
    }

    static func collapseWhitespace(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for ch in s.unicodeScalars {
            if ch.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(ch)
        }
        return out
    }
}
