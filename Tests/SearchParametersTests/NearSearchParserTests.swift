import SearchParameters
import Testing

/// `near` values as R4 writes them, and what orders results nearest first.
@Suite struct NearSearchParserTests {
    let parser = SearchQueryParser(registry: try! SearchParameterRegistry.bundled())

    func parse(_ type: String, _ pairs: [(String, String)]) throws(SearchError) -> SearchRequest {
        try parser.parse(resourceType: type, parameters: pairs.map { (name: $0.0, value: $0.1) }, lenient: false)
    }

    @Test(arguments: [
        ("41.7651|-72.67076|10|km", 10.0),
        ("41.7651|-72.67076|10", 10.0),
        ("41.7651|-72.67076|2500|m", 2.5),
        ("41.7651|-72.67076|10|[mi_i]", 16.09344),
        ("41.7651|-72.67076|10|mi", 16.09344),
        ("41.7651|-72.67076|10|[mi_us]", 16.09347218694437),
        ("41.7651|-72.67076", 16.09344),
        ("41.7651|-72.67076|", 16.09344),
        ("41.7651|-72.67076|0|km", 0.0),
    ])
    func unitsAndDefaults(value: String, km: Double) throws {
        let request = try parse("Location", [("near", value)])
        guard case .near(let circle) = request.clauses[0].condition else {
            Issue.record("not a near clause")
            return
        }
        #expect(circle.latitude == 41.7651 && circle.longitude == -72.67076)
        #expect(abs(circle.radiusKm - km) < 1e-9)
        #expect(request.nearest == 0)
    }

    @Test func nearestFirstUnlessSortedAndBeforeRelevance() throws {
        #expect(try parse("Location", [("address-city", "x"), ("near", "1|2")]).nearest == 1)
        #expect(try parse("Location", [("near", "1|2"), ("_sort", "_id")]).nearest == nil)
        let both = try parse("Location", [("_content", "clinic"), ("near", "1|2")])
        #expect(both.nearest == 1 && !both.relevance)
        let chained = try parse("PractitionerRole", [("location.near", "41|-72|5|km"), ("specialty", "207RC0000X")])
        #expect(chained.nearest == 0)
        #expect(chained.clauses[0].nearCircle == GeoCircle(latitude: 41, longitude: -72, radiusKm: 5))
    }

    @Test func theRadiusLimitIsTooCostly() throws {
        var limited = parser
        limited.limits.nearKm = 50
        #expect(throws: SearchError.self) {
            try limited.parse(
                resourceType: "Location", parameters: [(name: "near", value: "1|2|51|km")], lenient: false)
        }
        do {
            _ = try limited.parse(
                resourceType: "Location", parameters: [(name: "near", value: "1|2|51|km")], lenient: false)
        } catch {
            #expect(error.limit == .nearKm)
        }
        #expect(throws: Never.self) {
            try limited.parse(
                resourceType: "Location", parameters: [(name: "near", value: "1|2|50|km")], lenient: false)
        }
    }

    @Test func onlyLocationHasNear() {
        #expect(throws: SearchError.self) { try parse("Practitioner", [("near", "1|2")]) }
        #expect(throws: SearchError.self) { try parse("Practitioner", [("location.near", "1|2")]) }
    }

    @Test func boundingBoxesHoldTheCircle() {
        let circle = GeoCircle(latitude: 41.7651, longitude: -72.67076, radiusKm: 16.09344)
        let box = circle.boundingBox
        #expect(box.longitudes.count == 1)
        // The circle's northern and eastern extremes lie on the box.
        let north = GeoCircle.distanceKm(41.7651, -72.67076, box.maxLatitude, -72.67076)
        #expect(abs(north - 16.09344) < 1e-6)
        // Across the antimeridian: two ranges.
        let aleutian = GeoCircle(latitude: 52, longitude: 179.9, radiusKm: 50).boundingBox
        #expect(aleutian.longitudes.count == 2)
        #expect(aleutian.longitudes.contains { $0.contains(-179.7) })
        // Over a pole: every longitude.
        #expect(GeoCircle(latitude: 89.9, longitude: 0, radiusKm: 50).boundingBox.longitudes == [-180...180])
    }

    @Test func cursorsCarryTheExactDistance() {
        let distance = 6.428_937_123_456_789
        let cursor = PageCursor(direction: .after, id: "loc-1", distance: distance, index: "17-5")
        let back = PageCursor(token: cursor.token)
        #expect(back == cursor)
        #expect(back?.distance == distance)
        #expect(back?.lastUpdated == nil)
    }
}
