import GRDB
import Indexing
import SearchParameters

/// Positions for `near`: an R*Tree keyed by the resource's rid, each point a box of zero size,
/// with the exact latitude and longitude beside it (auxiliary columns, not rounded).
///
/// The R*Tree stores its box in 32-bit floats rounded outward, so a box probe is a superset;
/// every `near` condition then keeps the points whose haversine distance
/// (`plandir_distance`, `GeoCircle.distanceKm`) is within the radius. A resource has one
/// position at most (`Location.position` is 0..1), so the rid is the R*Tree's own id.
enum GeoTable: ValueTable {
    static let name = "geo"
    static let valueColumns = ["lat", "lon"]
    static let schema = """
        CREATE VIRTUAL TABLE geo USING rtree(rid, lat0, lat1, lon0, lon1, +pid INTEGER, +lat REAL, +lon REAL)
        """
    static let staging = """
        CREATE TABLE geo_s(pid INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, seq INTEGER NOT NULL)
        """
    static let indexes: [(name: String, sql: String)] = []

    /// One row per resource (the first position if a record had more), in rid order.
    static let load = """
        INSERT INTO geo(rid, lat0, lat1, lon0, lon1, pid, lat, lon)
        SELECT rid, lat, lat, lon, lon, pid, lat, lon FROM (
            SELECT pid, lat, lon, plandir_rid(seq) AS rid FROM s_geo.geo_s)
        WHERE rid > 0 GROUP BY rid ORDER BY rid
        """

    static func stage(_ values: ExtractedValues, seq: Int64, _ statement: BulkStatement, _ state: StagingState) throws {
        for p in values.points { try statement.insert(p.pid, p.latitude, p.longitude, seq) }
    }

    /// The rows of `pid` within `circle`, as `(rid, d)` with `d` the distance in km: an R*Tree
    /// probe of the circle's bounding box (two where it crosses the antimeridian), then the exact
    /// distance.
    ///
    ///     SELECT g.rid AS rid, plandir_distance(g.lat, g.lon, :lat, :lon) AS d FROM geo g
    ///     WHERE g.lat0 <= :north AND g.lat1 >= :south AND g.lon0 <= :east AND g.lon1 >= :west
    ///       AND g.pid = :pid AND d <= :radius
    static func within(pid: Int, _ circle: GeoCircle, context: PredicateSQL.Context) -> SQL {
        let box = circle.boundingBox
        let parts = box.longitudes.map { longitudes -> SQL in
            let g = context.next("g")
            return """
                SELECT \(sql: g).rid AS rid, plandir_distance(\(sql: g).lat, \(sql: g).lon, \(circle.latitude), \
                \(circle.longitude)) AS d FROM geo \(sql: g) WHERE \(sql: g).lat0 <= \(box.maxLatitude) \
                AND \(sql: g).lat1 >= \(box.minLatitude) AND \(sql: g).lon0 <= \(longitudes.upperBound) \
                AND \(sql: g).lon1 >= \(longitudes.lowerBound) AND \(sql: g).pid = \(pid) AND d <= \(circle.radiusKm)
                """
        }
        return parts.joined(separator: " UNION ALL ")
    }

    /// A position within `circle`. Testing one resource is a lookup of its rid; leading, the
    /// R*Tree answers the box.
    static func predicate(pid: Int, _ circle: GeoCircle, outer o: String, context: PredicateSQL.Context)
        -> PredicateSQL
    {
        let d = context.next("d")
        return PredicateSQL(
            membership: """
                EXISTS (SELECT 1 FROM geo \(sql: d) WHERE \(sql: d).rid = \(sql: o).rid AND \(sql: d).pid = \(pid) \
                AND plandir_distance(\(sql: d).lat, \(sql: d).lon, \(circle.latitude), \(circle.longitude)) \
                <= \(circle.radiusKm))
                """,
            candidates: "SELECT rid FROM (\(within(pid: pid, circle, context: context)))")
    }
}
