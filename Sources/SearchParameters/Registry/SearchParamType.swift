/// The FHIR search parameter types. Which ones plandir serves is `isSupported`: each layer
/// decides per type in a switch of its own (`SearchParamType+Search.swift` here).
public enum SearchParamType: String, Sendable, CaseIterable {
    case string, token, reference, date, number, quantity, uri, composite, special
}
