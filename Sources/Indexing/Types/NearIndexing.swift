import FHIRCore
import SearchParameters

/// `special` (`near`): a `position` with a finite latitude within ±90 and longitude within
/// ±180. Anything else is not a place, and such a Location never matches a `near` search.
enum NearIndexing: IndexValueType {
    static func extract(_ nodes: [JSONValue], _ parameter: SearchParameter, into values: inout ValueSets) {
        for node in nodes {
            guard let latitude = number(node["latitude"]), let longitude = number(node["longitude"]),
                (-90...90).contains(latitude), (-180...180).contains(longitude)
            else { continue }
            values.points.insert(.init(pid: parameter.pid, latitude: latitude, longitude: longitude))
        }
    }

    /// A JSON number (or, leniently, a decimal in a string) as a finite double.
    static func number(_ node: JSONValue?) -> Double? {
        switch node {
        case .number(let text)?, .string(let text)?:
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        default: return nil
        }
    }
}
