/// The FHIR search parameter types this server indexes.
public enum SearchParamType: String, Sendable, CaseIterable {
    case string, token, reference, date, number, quantity, uri, composite, special

    /// Types the index has tables for; definitions of other types are not loaded.
    public var isSupported: Bool {
        switch self {
        case .string, .token, .reference, .date: return true
        default: return false
        }
    }
}
