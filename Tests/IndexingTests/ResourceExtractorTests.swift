import FHIRCore
import Indexing
import SearchParameters
import Testing

@Suite struct ResourceExtractorTests {
    let registry = try! SearchParameterRegistry.bundled()
    var extractor: ResourceExtractor { ResourceExtractor(registry: registry) }

    func pid(_ type: String, _ code: String) -> Int { registry.parameter(type, code)!.pid }

    @Test func practitionerRoleValues() throws {
        let role = try JSONParser.parse(
            """
            {"resourceType":"PractitionerRole","id":"r1","meta":{"lastUpdated":"2020-07-07T13:26:22Z"},
             "extension":[{"url":"http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/network-reference",
                           "valueReference":{"reference":"Organization/net"}}],
             "practitioner":{"reference":"Practitioner/p1"},
             "code":[{"coding":[{"system":"http://r","code":"ph"}]}],
             "specialty":[{"coding":[{"system":"http://nucc.org/provider-taxonomy","code":"207Q00000X"}]},{"coding":[{"code":"nosys"}]}],
             "period":{"start":"2019-01-01"},
             "location":[{"reference":"Location/l1"},{"reference":"Location/l2"}]}
            """)
        let values = extractor.extract(resourceType: "PractitionerRole", resource: role)
        let specialty = Set(values.tokens.filter { $0.pid == pid("PractitionerRole", "specialty") }.map(\.value))
        #expect(
            specialty == [
                "http://nucc.org/provider-taxonomy|207Q00000X", "http://nucc.org/provider-taxonomy|", "|nosys",
            ])
        let refs = values.references.map { "\($0.pid):\($0.target.literal)" }
        #expect(refs.contains("\(pid("PractitionerRole", "network")):Organization/net"))
        #expect(refs.contains("\(pid("PractitionerRole", "practitioner")):Practitioner/p1"))
        #expect(values.references.filter { $0.pid == pid("PractitionerRole", "location") }.count == 2)
        let period = try #require(values.dates.first { $0.pid == pid("PractitionerRole", "period") })
        #expect(period.range.high == .max)
        #expect(period.range.low == DateRange(fhir: "2019-01-01")!.low)
        #expect(values.lastUpdated == DateRange(fhir: "2020-07-07T13:26:22Z")!.low)
        let lastUpdated = values.dates.first { $0.pid == pid("PractitionerRole", "_lastUpdated") }
        #expect(lastUpdated?.range == DateRange(fhir: "2020-07-07T13:26:22Z"))
    }

    @Test func namesAndAddressesIndexEveryPartFolded() throws {
        let practitioner = try JSONParser.parse(
            #"{"resourceType":"Practitioner","id":"p","name":[{"family":"Müller","given":["José","A."],"prefix":["Dr."],"text":"Dr. José Müller"}]}"#
        )
        let values = extractor.extract(resourceType: "Practitioner", resource: practitioner)
        let names = Set(values.strings.filter { $0.pid == pid("Practitioner", "name") }.map(\.folded))
        #expect(names == ["muller", "jose", "a.", "dr.", "dr. jose muller"])
        let family = values.strings.filter { $0.pid == pid("Practitioner", "family") }
        #expect(family.map(\.raw) == ["Müller"])

        let location = try JSONParser.parse(
            #"{"resourceType":"Location","id":"l","address":{"line":["1 Main St"],"city":"Hartford","state":"CT","postalCode":"06103"}}"#
        )
        let lv = extractor.extract(resourceType: "Location", resource: location)
        #expect(
            Set(lv.strings.filter { $0.pid == pid("Location", "address") }.map(\.folded)) == [
                "1 main st", "hartford", "ct", "06103",
            ])
        #expect(lv.strings.filter { $0.pid == pid("Location", "address-city") }.map(\.folded) == ["hartford"])
    }

    @Test func organizationNameIncludesAliases() throws {
        let org = try JSONParser.parse(
            #"{"resourceType":"Organization","id":"o","name":"Acme","alias":["ACME Health"]}"#)
        let values = extractor.extract(resourceType: "Organization", resource: org)
        #expect(
            Set(values.strings.filter { $0.pid == pid("Organization", "name") }.map(\.folded)) == [
                "acme", "acme health",
            ])
    }

    @Test func normalizerFoldsCaseAccentsAndSpace() {
        #expect(TextNormalizer.normalize("  Ñúñez   GARCÍA ") == "nunez garcia")
        #expect(TextNormalizer.normalize("Smith") == "smith")
    }
}
