extension SearchQueryParser {
    /// Trims values and turns runs of whitespace into one space, so that requests differing only
    /// there are one request (and one cache entry). `:exact` compares the value as written,
    /// whitespace included, so its values are left alone.
    public static func normalize(_ parameters: [(name: String, value: String)]) -> [(name: String, value: String)] {
        parameters.map { ($0.name, $0.name.hasSuffix(":exact") ? $0.value : collapseWhitespace($0.value)) }
    }

    /// By scalar, through the folding's own rule (`TextNormalizer.collapseWhitespace`): by
    /// `Character`, a space followed by a combining mark is one character, so a second pass
    /// dropped the mark and a request's own `self` link meant another search (found by
    /// `FuzzQuery`).
    static func collapseWhitespace(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: \.properties.isWhitespace) else { return value }
        return TextNormalizer.collapseWhitespace(value)
    }
}
