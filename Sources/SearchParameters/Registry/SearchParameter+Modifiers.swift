extension SearchParameter {
    /// The modifiers a query may put on this parameter, `:missing` first (for the
    /// CapabilityStatement's and the OpenAPI description's lists).
    public var searchModifiers: [String] {
        guard let search = type.search else { return [] }
        return ["missing"] + search.modifiers(of: self)
    }
}
