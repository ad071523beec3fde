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
            return .id(value.values)
        }
        return .token(try forms(value), negated: negated)
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
