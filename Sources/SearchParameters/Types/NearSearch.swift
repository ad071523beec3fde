import FHIRCore

/// `special`, as R4 defines it for `Location.near`: `latitude|longitude|distance|unit`. A
/// missing unit is km; a missing distance is 10 miles. One point per parameter: an OR-list of
/// circles has no single "nearest first" order.
enum NearSearch: SearchValueType {
    /// Units R4 names for `near` (UCUM), with `mi` as the everyday alias, in km.
    static let units: [(code: String, km: Double)] = [
        ("km", 1), ("m", 0.001), ("[mi_i]", 1.609344), ("[mi_us]", 1.609347218694437), ("mi", 1.609344),
    ]

    /// The distance R4 leaves to the server when none is given.
    static let defaultRadiusKm = 10 * 1.609344

    static func modifiers(of parameter: SearchParameter) -> [String] { [] }

    static func condition(_ value: SearchValue, parser: SearchQueryParser) throws(SearchError)
        -> SearchClause.Condition
    {
        if value.modifier != nil { throw value.unknownModifier(self) }
        guard value.values.count == 1 else {
            throw SearchError(
                parameter: value.name, value: value.raw,
                "near takes one point (latitude|longitude|distance|unit), not a list")
        }
        let circle = try circle(value.values[0], name: value.name, raw: value.raw)
        let limit = parser.limits.nearKm
        if circle.radiusKm > limit {
            throw .over(
                .nearKm, parameter: value.name, value: value.raw,
                "the distance is \(format(circle.radiusKm)) km; at most \(format(limit)) km is served")
        }
        return .near(circle)
    }

    /// Parses `latitude|longitude[|distance[|unit]]`.
    static func circle(_ text: String, name: String, raw: String) throws(SearchError) -> GeoCircle {
        let parts = SearchQueryParser.splitUnescaped(text, on: "|").map(SearchQueryParser.unescape)
        guard (2...4).contains(parts.count) else {
            throw SearchError(
                parameter: name, value: raw,
                "near is latitude|longitude|distance|unit (distance and unit optional); this has \(parts.count) part\(parts.count == 1 ? "" : "s")"
            )
        }
        guard let latitude = number(parts[0]), (-90...90).contains(latitude) else {
            throw SearchError(parameter: name, value: raw, "latitude '\(parts[0])' is not a number from -90 to 90")
        }
        guard let longitude = number(parts[1]), (-180...180).contains(longitude) else {
            throw SearchError(parameter: name, value: raw, "longitude '\(parts[1])' is not a number from -180 to 180")
        }
        var radiusKm = defaultRadiusKm
        if parts.count >= 3 && !(parts.count == 3 && parts[2].isEmpty) {
            guard let distance = number(parts[2]), distance >= 0 else {
                throw SearchError(parameter: name, value: raw, "distance '\(parts[2])' is not a number 0 or more")
            }
            var factor = 1.0
            if parts.count == 4 && !parts[3].isEmpty {
                guard let unit = units.first(where: { $0.code == parts[3] }) else {
                    throw SearchError(
                        parameter: name, value: raw,
                        "unknown unit '\(parts[3])'; use \(units.map(\.code).joined(separator: ", "))")
                }
                factor = unit.km
            }
            radiusKm = distance * factor
        }
        return GeoCircle(latitude: latitude, longitude: longitude, radiusKm: radiusKm)
    }

    /// A finite decimal as FHIR writes one: no `nan`, `inf`, hex or exponent spelled out in words.
    static func number(_ text: String) -> Double? {
        guard !text.isEmpty,
            text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 || $0 == 43 || $0 == 101 || $0 == 69 }
            ),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }

    static func format(_ km: Double) -> String {
        km == km.rounded() ? String(Int(km)) : String(format: "%.3f", km)
    }
}
