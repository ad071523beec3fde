/// `string`: a folded prefix of any part by default; `:exact` compares the whole part as
/// written; `:contains` looks anywhere in a folded part.
enum StringSearch: SearchValueType {
    static func modifiers(of parameter: SearchParameter) -> [String] { ["exact", "contains"] }

    static func condition(_ value: SearchValue, parser: SearchQueryParser) throws(SearchError)
        -> SearchClause.Condition
    {
        let match: SearchClause.StringMatch
        switch value.modifier {
        case nil: match = .prefix
        case "exact": match = .exact
        case "contains": match = .contains
        default: throw value.unknownModifier(self)
        }
        let unescaped = value.values.map(SearchQueryParser.unescape)
        // `:exact` compares what was written, whitespace included; the others fold it away.
        let forms = match == .exact ? unescaped : unescaped.map(TextNormalizer.normalize)
        return .string(forms.filter { !$0.isEmpty }, match)
    }
}
