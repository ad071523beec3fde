extension SearchQueryParser {
    /// Trims values and turns runs of whitespace into one space, so that requests differing only
    /// there are one request (and one cache entry). `:exact` compares the value as written,
    /// whitespace included, so its values are left alone.
    public static func normalize(_ parameters: [(name: String, value: String)]) -> [(name: String, value: String)] {
        parameters.map { ($0.name, $0.name.hasSuffix(":exact") ? $0.value : collapseWhitespace($0.value)) }
    }

    static func collapseWhitespace(_ value: String) -> String {
        guard value.contains(where: \.isWhitespace) else { return value }
        return value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
