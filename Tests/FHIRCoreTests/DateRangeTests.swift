import FHIRCore
import Testing

@Suite struct DateRangeTests {
    static let day: Int64 = 86_400_000

    @Test func precisionBecomesARange() throws {
        let year = try #require(DateRange(fhir: "2020"))
        #expect(DateRange.instantString(millis: year.low) == "2020-01-01T00:00:00.000Z")
        #expect(DateRange.instantString(millis: year.high) == "2020-12-31T23:59:59.999Z")
        let month = try #require(DateRange(fhir: "2020-02"))
        #expect(month.high - month.low + 1 == 29 * Self.day)
        let date = try #require(DateRange(fhir: "2021-02-28"))
        #expect(date.high - date.low + 1 == Self.day)
        let minute = try #require(DateRange(fhir: "2020-03-04T10:15Z"))
        #expect(minute.high - minute.low + 1 == 60_000)
        let second = try #require(DateRange(fhir: "2020-03-04T10:15:30Z"))
        #expect(second.high - second.low + 1 == 1000)
    }

    @Test func zonesAndLongFractionsNormalizeToUTC() throws {
        // The Plan-Net examples carry seven fractional digits.
        let a = try #require(DateRange(fhir: "2020-07-07T13:26:22.0314215+00:00"))
        #expect(DateRange.instantString(millis: a.low) == "2020-07-07T13:26:22.031Z")
        let b = try #require(DateRange(fhir: "2020-07-07T09:26:22.5-04:00"))
        #expect(DateRange.instantString(millis: b.low) == "2020-07-07T13:26:22.500Z")
    }

    @Test(arguments: [
        "", "20", "2020-13", "2020-02-30", "2020-01-01T25:00Z", "2020-01-01T10", "2020-01-01T10:00:00+99:00",
        "2020-01-01X", "abcd", "2020-01-01T10:00:00.",
    ])
    func rejectsInvalidDates(text: String) {
        #expect(DateRange(fhir: text) == nil)
    }

    @Test func instantsRoundTrip() throws {
        for text in [
            "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2026-11-23T14:05:59.411Z",
            "2000-02-29T12:00:00.000Z",
        ] {
            let range = try #require(DateRange(fhir: text))
            #expect(DateRange.instantString(millis: range.low) == text)
        }
    }

    @Test func referencesSplitIntoTypeAndID() {
        #expect(ReferenceTarget(parsing: "Organization/abc") == ReferenceTarget(type: "Organization", id: "abc"))
        #expect(
            ReferenceTarget(parsing: "Organization/abc/_history/2") == ReferenceTarget(type: "Organization", id: "abc"))
        #expect(ReferenceTarget(parsing: "http://x.org/fhir/Organization/abc").type == "")
        #expect(ReferenceTarget(parsing: "#contained").type == "")
        #expect(FHIRID.isValid("a-b.C9"))
        #expect(!FHIRID.isValid("a b"))
        #expect(!FHIRID.isValid(String(repeating: "a", count: 65)))
    }
}
