import FHIRCore
import SearchParameters

/// `date`: a date, dateTime, instant or Period, as the range of instants it covers.
enum DateIndexing: IndexValueType {
    static func extract(_ nodes: [JSONValue], _ parameter: SearchParameter, into values: inout ValueSets) {
        for node in nodes {
            if let range = range(node) { values.dates.insert(.init(pid: parameter.pid, range: range)) }
        }
    }

    static func range(_ node: JSONValue) -> DateRange? {
        switch node {
        case .string(let s): return DateRange(fhir: s)
        case .object(let object):
            let start = object["start"]?.stringValue.flatMap(DateRange.init(fhir:))
            let end = object["end"]?.stringValue.flatMap(DateRange.init(fhir:))
            if start == nil && end == nil { return nil }
            return DateRange(low: start?.low ?? .min, high: end?.high ?? .max)
        default: return nil
        }
    }
}
