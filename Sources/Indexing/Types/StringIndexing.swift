import FHIRCore
import SearchParameters

/// `string`: every part of a HumanName or Address, or the string itself, folded for prefix
/// and contains matching and kept as written for `:exact`.
enum StringIndexing: IndexValueType {
    static func extract(_ nodes: [JSONValue], _ parameter: SearchParameter, into values: inout ValueSets) {
        for node in nodes {
            for part in parts(node) where !part.isEmpty {
                values.strings.insert(.init(pid: parameter.pid, folded: TextNormalizer.normalize(part), raw: part))
            }
        }
    }

    static let humanNameParts = ["family", "given", "prefix", "suffix", "text"]
    static let addressParts = ["line", "city", "district", "state", "postalCode", "country", "text"]

    /// The parts a string search matches: HumanName and Address parts, or the string itself.
    static func parts(_ node: JSONValue) -> [String] {
        switch node {
        case .string(let s): return [s]
        case .object(let object):
            let isName = object["family"] != nil || object["given"] != nil
            let keys = isName ? humanNameParts : addressParts
            var parts: [String] = []
            for key in keys {
                for item in object[key]?.asList ?? [] {
                    if let s = item.stringValue { parts.append(s) }
                }
            }
            if parts.isEmpty, let text = object["text"]?.stringValue { parts.append(text) }
            if parts.isEmpty, let display = object["display"]?.stringValue { parts.append(display) }
            return parts
        default: return []
        }
    }
}
