import FHIRCore
import SearchParameters

/// Evaluates every registry parameter of a resource's type against the resource; what each
/// type stores is in its own file under `Types/`.
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
        var sets = ValueSets()
        for parameter in registry.parameters(for: resourceType) where !parameter.isID {
            // The registry loads only supported types, and every supported type indexes.
            guard let indexing = parameter.type.indexing else { continue }
            indexing.extract(parameter.expression.evaluate(resource).map(Self.unwrapExtension), parameter, into: &sets)
        }
        var values = ExtractedValues()
        // Sorted so the same resource always yields the same rows in the same order.
        values.strings = sets.strings.sorted { ($0.pid, $0.folded, $0.raw) < ($1.pid, $1.folded, $1.raw) }
        values.tokens = sets.tokens.sorted { ($0.pid, $0.value) < ($1.pid, $1.value) }
        values.texts = sets.texts.sorted { ($0.pid, $0.folded, $0.raw) < ($1.pid, $1.folded, $1.raw) }
        values.dates = sets.dates.sorted {
            ($0.pid, $0.range.low, $0.range.high) < ($1.pid, $1.range.low, $1.range.high)
        }
        values.references = sets.references.sorted {
            ($0.pid, $0.target.type, $0.target.id) < ($1.pid, $1.target.type, $1.target.id)
        }
        values.points = sets.points.sorted {
            ($0.pid, $0.latitude, $0.longitude) < ($1.pid, $1.latitude, $1.longitude)
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
}
