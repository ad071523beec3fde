import FHIRCore
import Foundation
import HummingbirdTesting
import SearchParameters
import Server
import Storage
import Testing

/// The filters the member-service page needs, added as registry data: each finds exactly the
/// resources the raw data says, and the CapabilityStatement names its definition.
@Suite struct MemberServiceParameterTests {
    static var sample: BuiltIndex { ExportTests.sample }
    static let planNet = "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/"

    static func ids(_ type: String, _ parameters: [(String, String)]) async throws -> Set<String> {
        var request = try SearchQueryParser(registry: Fixtures.registry).parse(
            resourceType: type, parameters: parameters + [("_count", "1000")], lenient: false)
        var found = Set<String>()
        while true {
            let page = try await sample.index.search(request)
            found.formUnion(page.entries.map(\.id))
            guard let next = page.next else { return found }
            request.cursor = next
        }
    }

    static func codes(_ resource: JSONValue, extension url: String, sub: String? = nil) -> [String] {
        let outer = (resource["extension"]?.asList ?? []).filter { $0["url"]?.stringValue == url }
        let values =
            sub.map { sub in
                outer.flatMap { ($0["extension"]?.asList ?? []).filter { $0["url"]?.stringValue == sub } }
            } ?? outer
        return values.flatMap { $0["valueCodeableConcept"]?["coding"]?.asList ?? [] }.compactMap {
            $0["code"]?.stringValue
        }
    }

    @Test func newPatientAndAccessibilityMatchTheExtensions() async throws {
        for type in ["PractitionerRole", "Location", "HealthcareService"] {
            for code in ["newpt", "existptonly", "nopt"] {
                let expected = Set(
                    Self.sample.sources(of: type).filter {
                        Self.codes($0.json, extension: Self.planNet + "newpatients", sub: "acceptingPatients").contains(
                            code)
                    }.map(\.id))
                #expect(try await Self.ids(type, [("new-patient", code)]) == expected, "\(type) new-patient=\(code)")
                if type == "PractitionerRole" && code == "newpt" { #expect(!expected.isEmpty) }
            }
        }
        for type in ["Location", "HealthcareService"] {
            for code in ["adacomp", "handiaccess"] {
                let expected = Set(
                    Self.sample.sources(of: type).filter {
                        Self.codes($0.json, extension: Self.planNet + "accessibility").contains(code)
                    }.map(\.id))
                #expect(
                    try await Self.ids(type, [("accessibility", code)]) == expected, "\(type) accessibility=\(code)")
            }
        }
    }

    @Test func genderAndLanguageAlsoThroughTheRolesPractitioner() async throws {
        let practitioners = Self.sample.sources(of: "Practitioner")
        let female = Set(practitioners.filter { $0.json["gender"]?.stringValue == "female" }.map(\.id))
        let polish = Set(
            practitioners.filter { source in
                (source.json["communication"]?.asList ?? []).contains { concept in
                    (concept["coding"]?.asList ?? []).contains {
                        $0["system"]?.stringValue == "urn:ietf:bcp:47" && $0["code"]?.stringValue == "pl"
                    }
                }
            }.map(\.id))
        #expect(!female.isEmpty && !polish.isEmpty)
        #expect(try await Self.ids("Practitioner", [("gender", "female")]) == female)
        #expect(try await Self.ids("Practitioner", [("communication", "urn:ietf:bcp:47|pl")]) == polish)
        func roles(of chosen: Set<String>) -> Set<String> {
            Set(
                Self.sample.sources(of: "PractitionerRole").filter {
                    guard let reference = $0.json["practitioner"]?["reference"]?.stringValue else { return false }
                    return chosen.contains(String(reference.dropFirst("Practitioner/".count)))
                }.map(\.id))
        }
        #expect(try await Self.ids("PractitionerRole", [("practitioner.gender", "female")]) == roles(of: female))
        #expect(try await Self.ids("PractitionerRole", [("practitioner.communication", "pl")]) == roles(of: polish))
    }

    /// The page's accessibility and telehealth filters go through a role's locations and services.
    @Test func accessibilityAndDeliveryThroughTheRolesLinks() async throws {
        func referring(_ link: String, to chosen: Set<String>) -> Set<String> {
            Set(
                Self.sample.sources(of: "PractitionerRole").filter { role in
                    (role.json[link]?.asList ?? []).contains {
                        guard let reference = $0["reference"]?.stringValue, let slash = reference.firstIndex(of: "/")
                        else { return false }
                        return chosen.contains(String(reference[reference.index(after: slash)...]))
                    }
                }.map(\.id))
        }
        let accessible = Set(
            Self.sample.sources(of: "Location").filter {
                Self.codes($0.json, extension: Self.planNet + "accessibility").contains("handiaccess")
            }.map(\.id))
        let expected = referring("location", to: accessible)
        #expect(!expected.isEmpty)
        #expect(try await Self.ids("PractitionerRole", [("location.accessibility", "handiaccess")]) == expected)
        let physical = Set(
            Self.sample.sources(of: "HealthcareService").filter {
                Self.codes($0.json, extension: Self.planNet + "delivery-method", sub: "type").contains("physical")
            }.map(\.id))
        let served = referring("healthcareService", to: physical)
        #expect(!served.isEmpty)
        #expect(try await Self.ids("PractitionerRole", [("service.delivery-method", "physical")]) == served)
        #expect(try await Self.ids("PractitionerRole", [("service.delivery-method", "virtual")]).isEmpty)
    }

    @Test func theCapabilityStatementNamesEachDefinition() async throws {
        let app = buildApplication(index: Self.sample.index, configuration: ServerConfiguration(port: 8080))
        try await app.test(.router) { client in
            let statement = try await client.fetch("/fhir/metadata").json
            func definition(_ type: String, _ code: String) -> String? {
                let resource = statement["rest"]?.asList.first?["resource"]?.asList.first {
                    $0["type"]?.stringValue == type
                }
                return resource?["searchParam"]?.asList.first { $0["name"]?.stringValue == code }?["definition"]?
                    .stringValue
            }
            #expect(
                definition("PractitionerRole", "new-patient")
                    == "http://plandir.dev/fhir/SearchParameter/practitionerrole-new-patient")
            #expect(
                definition("Location", "new-patient") == "http://plandir.dev/fhir/SearchParameter/location-new-patient")
            #expect(
                definition("HealthcareService", "accessibility")
                    == "http://plandir.dev/fhir/SearchParameter/healthcareservice-accessibility")
            #expect(definition("Practitioner", "gender") == "http://hl7.org/fhir/SearchParameter/individual-gender")
            #expect(
                definition("Practitioner", "communication")
                    == "http://hl7.org/fhir/SearchParameter/Practitioner-communication")
            #expect(
                definition("HealthcareService", "delivery-method")
                    == "http://hl7.org/fhir/us/davinci-pdex-plan-net/SearchParameter/healthcareservice-delivery-method")
        }
    }
}
