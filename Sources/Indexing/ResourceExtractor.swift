import FHIRCore
import SearchParameters

/// Evaluates every registry parameter of a resource's type against the resource.
///
/// Pure: JSON in, values out. Types are recognised from the JSON shape (a CodeableConcept has
/// `coding`, a Period `start`/`end`, an Extension `url` plus `value[x]`), which is all FHIR
/// JSON offers without loading StructureDefinitions.
public struct ResourceExtractor: Sendable {
    public let registry: SearchParameterRegistry

    public init(registry: SearchParameterRegistry) {
        self.registry = registry
    }

    public func extract(resourceType: String, resource: JSONValue) -> ExtractedValues {
        var strings = Set<ExtractedValues.StringValue>()
        var tokens = Set<ExtractedValues.TokenValue>()
        var dates = Set<ExtractedValues.DateValue>()
        var references = Set<ExtractedValues.ReferenceValue>()
        var texts = Set<ExtractedValues.StringValue>()
        for parameter in registry.parameters(for: resourceType) where !parameter.isID {
            let nodes = parameter.expression.evaluate(resource).map(Self.unwrapExtension)
            let pid = parameter.pid
            switch parameter.type {
            case .string:
                for node in nodes {
                    for part in Self.stringParts(node) where !part.isEmpty {
                        strings.insert(.init(pid: pid, folded: TextNormalizer.normalize(part), raw: part))
                    }
                }
            case .token:
                for node in nodes {
                    for value in Self.tokenForms(node) { tokens.insert(.init(pid: pid, value: value)) }
                    if parameter.modifiers.contains("text") {
                        for text in Self.tokenTexts(node) {
                            for start in Self.wordStarts(TextNormalizer.normalize(text)) {
                                texts.insert(.init(pid: pid, folded: start, raw: text))
                            }
                        }
                    }
                }
            case .date:
                for node in nodes {
                    if let range = Self.dateRange(node) { dates.insert(.init(pid: pid, range: range)) }
                }
            case .reference:
                for node in nodes {
                    if let reference = node["reference"]?.stringValue ?? node.stringValue {
                        references.insert(.init(pid: pid, target: ReferenceTarget(parsing: reference)))
                    }
                    // A logical reference (`Reference.identifier`) answers `:identifier`.
                    if let identifier = node["identifier"] {
                        for value in Self.tokenForms(identifier) { tokens.insert(.init(pid: pid, value: value)) }
                    }
                }
            default:
                continue
            }
        }
        var values = ExtractedValues()
        // Sorted so the same resource always yields the same rows in the same order.
        values.strings = strings.sorted { ($0.pid, $0.folded, $0.raw) < ($1.pid, $1.folded, $1.raw) }
        values.tokens = tokens.sorted { ($0.pid, $0.value) < ($1.pid, $1.value) }
        values.texts = texts.sorted { ($0.pid, $0.folded, $0.raw) < ($1.pid, $1.folded, $1.raw) }
        values.dates = dates.sorted { ($0.pid, $0.range.low, $0.range.high) < ($1.pid, $1.range.low, $1.range.high) }
        values.references = references.sorted {
            ($0.pid, $0.target.type, $0.target.id) < ($1.pid, $1.target.type, $1.target.id)
        }
        if let text = resource["meta"]?["lastUpdated"]?.stringValue, let range = DateRange(fhir: text) {
            values.lastUpdated = range.low
        }
        return values
    }

    /// An Extension selected by `extension.where(url=…)` stands for its value.
    static func unwrapExtension(_ node: JSONValue) -> JSONValue {
        guard case .object(let object) = node, object["url"] != nil else { return node }
        for member in object.members where member.key.hasPrefix("value") && member.key.count > 5 {
            return member.value
        }
        return node
    }

    static let humanNameParts = ["family", "given", "prefix", "suffix", "text"]
    static let addressParts = ["line", "city", "district", "state", "postalCode", "country", "text"]

    /// The parts a string search matches: HumanName and Address parts, or the string itself.
    static func stringParts(_ node: JSONValue) -> [String] {
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

    /// Index forms of a token, as Blaze does: `code`, `system|code`, and `|code` when there is
    /// no system; plus `system|` so a system-only search is one lookup too.
    static func tokenForms(_ node: JSONValue) -> [String] {
        switch node {
        case .string(let s): return [s]
        case .bool(let b): return [b ? "true" : "false"]
        case .object(let object):
            if let codings = object["coding"] {
                return codings.asList.flatMap(tokenForms)
            }
            let code = object["code"]?.stringValue ?? object["value"]?.stringValue
            let system = object["system"]?.stringValue.map(TokenSystem.canonical)
            var forms: [String] = []
            if let code {
                forms.append(code)
                if let system { forms.append("\(system)|\(code)") } else { forms.append("|\(code)") }
            }
            if let system { forms.append("\(system)|") }
            return forms
        default: return []
        }
    }

    /// The human text of a coded value, which `:text` searches: a concept's `text` and its
    /// codings' `display` (an Identifier's `type` counts as its concept).
    static func tokenTexts(_ node: JSONValue) -> [String] {
        guard case .object(let object) = node else { return [] }
        var texts: [String] = []
        if let text = object["text"]?.stringValue { texts.append(text) }
        if let display = object["display"]?.stringValue { texts.append(display) }
        for coding in object["coding"]?.asList ?? [] {
            if let display = coding["display"]?.stringValue { texts.append(display) }
        }
        if let type = object["type"], object["value"] != nil { texts += tokenTexts(type) }
        return texts
    }

    /// The text from the start of each word on: a prefix match on these is a match at the start
    /// of any word, answered by the same B-tree range as a string prefix.
    public static func wordStarts(_ folded: String) -> [String] {
        var starts: [String] = []
        var previous: Character = " "
        var index = folded.startIndex
        while index < folded.endIndex {
            let ch = folded[index]
            if !(previous.isLetter || previous.isNumber) && (ch.isLetter || ch.isNumber) {
                starts.append(String(folded[index...]))
            }
            previous = ch
            index = folded.index(after: index)
        }
        return starts
    }

    static func dateRange(_ node: JSONValue) -> DateRange? {
        switch node {
        case .string(let s): return DateRange(fhir: s)
        case .object(let object):
            let start = object["start"]?.stringValue.flatMap(DateRange.init(fhir:))
            let end = object["end"]?.stringValue.flatMap(DateRange.init(fhir:))
            if start == nil && end == nil { return nil }
            return DateRange(low: start?.low ?? .min, high: end?.high ?? .max)
        default: return nil
        }
    }
}
