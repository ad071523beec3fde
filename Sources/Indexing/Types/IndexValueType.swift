import FHIRCore
import SearchParameters

/// What one search-parameter type indexes from the nodes its expression selects in a
/// resource (Blaze's `-index-values`). One conforming type per file; `SearchParamType.indexing`
/// picks it with a switch that has no `default`.
protocol IndexValueType {
    static func extract(_ nodes: [JSONValue], _ parameter: SearchParameter, into values: inout ValueSets)
}

/// The values of one resource while they are collected: sets, so a value reached twice is
/// stored once.
struct ValueSets {
    var strings = Set<ExtractedValues.StringValue>()
    var tokens = Set<ExtractedValues.TokenValue>()
    var dates = Set<ExtractedValues.DateValue>()
    var references = Set<ExtractedValues.ReferenceValue>()
    var texts = Set<ExtractedValues.StringValue>()
    var points = Set<ExtractedValues.PointValue>()
}
