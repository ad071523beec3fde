/// `date`: each value is a FHIR date, dateTime or instant with an optional R4 prefix, read as
/// the range its precision covers.
enum DateSearch: SearchValueType {
    static func modifiers(of parameter: SearchParameter) -> [String] { [] }

    static func condition(_ value: SearchValue, parser: SearchQueryParser) throws(SearchError)
        -> SearchClause.Condition
    {
        if value.modifier != nil { throw value.unknownModifier(self) }
        return .date(
            try value.values.map { v throws(SearchError) in try SearchQueryParser.parseDate(v, name: value.name) })
    }
}
