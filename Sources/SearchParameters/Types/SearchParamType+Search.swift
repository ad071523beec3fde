extension SearchParamType {
    /// How a query reads values of this type; nil for types plandir does not serve.
    var search: (any SearchValueType.Type)? {
        switch self {
        case .string: StringSearch.self
        case .token: TokenSearch.self
        case .reference: ReferenceSearch.self
        case .date: DateSearch.self
        // The only special parameter plandir loads is `near` (`SearchParameterRegistry`).
        case .special: NearSearch.self
        case .number, .quantity, .uri, .composite: nil
        }
    }

    /// Types the query parser, the extractor and the index all serve; definitions of other
    /// types are not loaded.
    public var isSupported: Bool { search != nil }
}
