import SearchParameters

extension SearchParamType {
    /// What the index stores for values of this type; nil for types plandir does not serve.
    var indexing: (any IndexValueType.Type)? {
        switch self {
        case .string: StringIndexing.self
        case .token: TokenIndexing.self
        case .reference: ReferenceIndexing.self
        case .date: DateIndexing.self
        case .special: NearIndexing.self
        case .number, .quantity, .uri, .composite: nil
        }
    }
}
