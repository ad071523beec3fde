import SearchParameters

extension SearchParamType {
    /// The table that holds this type's values; nil for types plandir does not serve.
    var valueTable: (any ValueTable.Type)? {
        switch self {
        case .string: StringTable.self
        case .token: TokenTable.self
        case .reference: ReferenceTable.self
        case .date: DateTable.self
        case .special: GeoTable.self
        case .number, .quantity, .uri, .composite: nil
        }
    }
}
