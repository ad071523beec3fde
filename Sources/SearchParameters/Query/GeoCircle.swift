import Foundation

/// A `near` search area: every point within `radiusKm` of a centre, by great-circle distance
/// on a sphere of the Earth's mean radius (haversine). WGS84 latitudes and longitudes in
/// degrees, as `Location.position` holds them.
public struct GeoCircle: Sendable, Equatable {
    /// The IUGG mean Earth radius. The sphere is off the WGS84 ellipsoid by at most 0.5 %,
    /// far less than the difference between a ZIP code's point and a caller's door.
    public static let earthRadiusKm = 6371.0088

    public var latitude: Double
    public var longitude: Double
    public var radiusKm: Double

    public init(latitude: Double, longitude: Double, radiusKm: Double) {
        self.latitude = latitude
        self.longitude = longitude
        self.radiusKm = radiusKm
    }

    /// Great-circle distance in km from the centre to a point.
    public func distanceKm(latitude: Double, longitude: Double) -> Double {
        Self.distanceKm(self.latitude, self.longitude, latitude, longitude)
    }

    /// Haversine distance in km between two points given in degrees.
    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let toRadians = Double.pi / 180
        let dLat = (lat2 - lat1) * toRadians
        let dLon = (lon2 - lon1) * toRadians
        let a =
            sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * toRadians) * cos(lat2 * toRadians) * sin(dLon / 2)
            * sin(dLon / 2)
        return 2 * earthRadiusKm * asin(min(1, a.squareRoot()))
    }

    /// A latitude and longitude range that holds the whole circle, for an R*Tree probe: one
    /// longitude range, or two where the circle crosses the antimeridian. Near a pole every
    /// longitude is in range.
    public var boundingBox: (minLatitude: Double, maxLatitude: Double, longitudes: [ClosedRange<Double>]) {
        let angular = radiusKm / Self.earthRadiusKm
        let dLat = angular * 180 / Double.pi
        let minLat = latitude - dLat
        let maxLat = latitude + dLat
        if minLat <= -90 || maxLat >= 90 || angular >= Double.pi / 2 {
            return (max(-90, minLat), min(90, maxLat), [-180...180])
        }
        // The widest longitude a circle reaches, at the latitude of its tangent meridians.
        let ratio = sin(angular) / cos(latitude * Double.pi / 180)
        guard ratio < 1 else { return (minLat, maxLat, [-180...180]) }
        let dLon = asin(ratio) * 180 / Double.pi
        let west = longitude - dLon
        let east = longitude + dLon
        if west < -180 { return (minLat, maxLat, [-180...east, (west + 360)...180]) }
        if east > 180 { return (minLat, maxLat, [west...180, -180...(east - 360)]) }
        return (minLat, maxLat, [west...east])
    }
}
