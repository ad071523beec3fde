import FHIRCore

/// What one search-parameter type means to a query: the modifiers it takes and how an
/// OR-list of values becomes a condition.
///
/// One conforming type per file, as Blaze has one namespace per type; the other layers have
/// their own (`IndexValueType` for extraction, `ValueTable` for storage), and each layer picks
/// its implementation with a switch over `SearchParamType` that has no `default`, so a new type
/// does not compile until every layer knows it.
protocol SearchValueType {
    /// The modifiers this type accepts on `parameter`, besides `:missing`.
    static func modifiers(of parameter: SearchParameter) -> [String]

    /// The condition for `values` (already split on unescaped commas).
    static func condition(_ value: SearchValue, parser: SearchQueryParser) throws(SearchError)
        -> SearchClause.Condition
}

/// One parameter's value as a request gave it.
struct SearchValue {
    var parameter: SearchParameter
    /// The name as written, modifier included (`name:exact`), for error messages.
    var name: String
    var modifier: String?
    /// The OR-list, split on unescaped commas, still escaped.
    var values: [String]
    /// The whole value as written.
    var raw: String

    /// A 400 naming a modifier this type does not take, and the ones it does.
    func unknownModifier(_ type: any SearchValueType.Type) -> SearchError {
        SearchQueryParser.unknownModifier(name, raw, modifier ?? "", ["missing"] + type.modifiers(of: parameter))
    }
}
