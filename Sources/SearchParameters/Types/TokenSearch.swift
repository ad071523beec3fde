import FHIRCore

/// `token`: `code`, `system|code`, `|code` or `system|`, in the forms the index stores
/// (`TokenIndexing.forms`); `:not` negates; `:text` matches the start of a word of a
/// coding's display or a concept's text, where the definition allows it. `_id` is a token
/// answered from the resource table.
enum TokenSearch: SearchValueType {
    static func modifiers(of parameter: SearchParameter) -> [String] {
        ["not"] + (parameter.modifiers.contains("text") ? ["text"] : [])
    }

    static func condition(_ value: SearchValue, parser: SearchQueryParser) throws(SearchError)
        -> SearchClause.Condition
    {
        var negated = false
        switch value.modifier {
        case nil: break
        case "not": negated = true
        case "text" where value.parameter.modifiers.contains("text"):
            let words = value.values.map { TextNormalizer.normalize(SearchQueryParser.unescape($0)) }
            return .text(words.filter { !$0.isEmpty })
        default:
            throw value.unknownModifier(self)
        }
        if value.parameter.isID {
            if negated {
                throw SearchError(
                    .notSupported, parameter: value.name, value: value.raw, ":not is not supported on _id")
            }
            return .id(try ids(value))
        }
        return .token(try forms(value), negated: negated)
    }

    /// `_id` values: a logical id, or `Type/id` of the searched type (the Inferno Plan-Net kit
    /// sends that, and HAPI accepts it). Another type's reference is a 400.
    static func ids(_ value: SearchValue) throws(SearchError) -> [String] {
        var ids: [String] = []
        for v in value.values.map(SearchQueryParser.unescape) {
            guard let slash = v.firstIndex(of: "/") else {
                ids.append(v)
                continue
            }
            let type = String(v[..<slash])
            guard type == value.parameter.resourceType else {
                throw SearchError(
                    parameter: value.name, value: value.raw,
                    "_id on \(value.parameter.resourceType) takes an id or \(value.parameter.resourceType)/id, not \(type)/…"
                )
            }
            ids.append(String(v[v.index(after: slash)...]))
        }
        return ids
    }

    /// The index forms of each value.
    static func forms(_ value: SearchValue) throws(SearchError) -> [String] {
        var forms: [String] = []
        for v in value.values {
            let parts = SearchQueryParser.splitUnescaped(v, on: "|")
            switch parts.count {
            case 1: forms.append(SearchQueryParser.unescape(parts[0]))
            case 2:
                let system = TokenSystem.canonical(SearchQueryParser.unescape(parts[0]))
                let code = SearchQueryParser.unescape(parts[1])
                if system.isEmpty && code.isEmpty {
                    throw SearchError(parameter: value.name, value: value.raw, "a token needs a system or a code")
                }
                forms.append("\(system)|\(code)")
            default:
                throw SearchError(
                    parameter: value.name, value: value.raw, "a token is code, system|code, |code or system|")
            }
        }
        return forms
    }
}
