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
        // A short `:contains` matches most of a table, and every row is tested.
        let least = parser.limits.containsLength
        if match == .contains, let short = forms.first(where: { !$0.isEmpty && $0.count < least }) {
            throw .over(
                .containsLength, parameter: value.name, value: value.raw,
                ":contains needs at least \(least) characters ('\(short)')")
        }
        return .string(forms.filter { !$0.isEmpty }, match)
    }
}
