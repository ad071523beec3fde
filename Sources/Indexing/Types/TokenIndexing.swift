import FHIRCore
import SearchParameters

/// `token`: a code, Coding, CodeableConcept, Identifier, ContactPoint or boolean, in every form
/// a query may name it; with `:text` allowed, the start of each word of its displays and text.
enum TokenIndexing: IndexValueType {
    static func extract(_ nodes: [JSONValue], _ parameter: SearchParameter, into values: inout ValueSets) {
        let pid = parameter.pid
        for node in nodes {
            for value in forms(node) { values.tokens.insert(.init(pid: pid, value: value)) }
            guard parameter.modifiers.contains("text") else { continue }
            for text in texts(node) {
                // The text as written rides on its first word only: `_content` reads it from
                // there, and `:text` matches the folded starts, so repeating it on every word
                // start cost a tenth of a national index.
                for (index, start) in ResourceExtractor.wordStarts(TextNormalizer.normalize(text)).enumerated() {
                    values.texts.insert(.init(pid: pid, folded: start, raw: index == 0 ? text : ""))
                }
            }
        }
    }

    /// Index forms of a token: `system|code`, or `|code` when there is no system, plus
    /// `system|` so a system-only search is one lookup too. A code element or boolean (no
    /// system to name) is its bare `code`. Unlike Blaze, a coded value does not also store its
    /// bare `code`: a search for one asks the index which systems the code occurs with
    /// (`TokenTable`), which saves a row per coding, a third of the token table.
    static func forms(_ node: JSONValue) -> [String] {
        switch node {
        case .string(let s): return [s]
        case .bool(let b): return [b ? "true" : "false"]
        case .object(let object):
            if let codings = object["coding"] {
                return codings.asList.flatMap(forms)
            }
            let code = object["code"]?.stringValue ?? object["value"]?.stringValue
            let system = object["system"]?.stringValue.map(TokenSystem.canonical)
            var forms: [String] = []
            if let code { forms.append("\(system ?? "")|\(code)") }
            if let system { forms.append("\(system)|") }
            return forms
        default: return []
        }
    }

    /// The human text of a coded value, which `:text` searches: a concept's `text` and its
    /// codings' `display` (an Identifier's `type` counts as its concept).
    static func texts(_ node: JSONValue) -> [String] {
        guard case .object(let object) = node else { return [] }
        var texts: [String] = []
        if let text = object["text"]?.stringValue { texts.append(text) }
        if let display = object["display"]?.stringValue { texts.append(display) }
        for coding in object["coding"]?.asList ?? [] {
            if let display = coding["display"]?.stringValue { texts.append(display) }
        }
        if let type = object["type"], object["value"] != nil { texts += Self.texts(type) }
        return texts
    }
}
