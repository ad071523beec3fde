import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Server
import Storage
import Testing

/// `plandir import qhp` on the project's own fixtures, shaped like the CMS QHP provider and
/// formulary JSON schema: synthetic plans, providers and drugs, one file cut off mid-element.
@Suite struct QHPImportTests {
    static let folder = Fixtures.root.appendingPathComponent("Tests/Fixtures/import/qhp")
    static let index = folder.appendingPathComponent("cms-data-index.json").path
    static let gold = "99001CT0010001"
    static let silver = "99001CT0010002"

    static func importFixtures(into output: URL) throws -> ImportReport {
        var importer = QHPImporter(output: try NDJSONOutput(folder: output.path))
        return try importer.run(inputs: [index])
    }

    @Test func theReportMatchesTheFixturesExpectedLines() throws {
        let output = try Fixtures.temporaryFolder()
        let again = try Fixtures.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: again)
        }
        let report = try Self.importFixtures(into: output)
        try expectReport(report, matches: Self.folder)
        #expect(report.counts["malformed-json"] == 1, "providers-2.json is cut off")
        _ = try Self.importFixtures(into: again)
        try expectSameImport(output, again)
    }

    /// Imported, indexed and served: a provider is in its plan's network only, with new-patient
    /// status and languages; a drug has its tier and flags on each plan's formulary.
    @Test func theImportIndexesAndAnswers() async throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try Self.importFixtures(into: output)
        let built = try BuiltIndex(inputs: [output.path], name: "qhp-import")
        #expect(built.report.issues.filter { $0.severity == .rejected }.isEmpty)
        let quill = "npi-4234567806"
        let haddad = "npi-4234567814"
        try await built.inProcess { client in
            let goldPreferred = try await client.allIDs(
                "/fhir/PractitionerRole?network=Organization/qhp-network-\(Self.gold)-preferred")
            #expect(
                Set(goldPreferred) == [
                    "qhp-\(quill)-\(Self.gold)-preferred-0a586f4f", "qhp-\(quill)-\(Self.gold)-preferred-42867b7f",
                ])
            let silverRoles = try await client.allIDs("/fhir/PractitionerRole?practitioner=Practitioner/\(haddad)")
            #expect(silverRoles == ["qhp-\(haddad)-\(Self.silver)-preferred-a3c2435e"])
            let accepting = try await client.allIDs("/fhir/PractitionerRole?new-patient=newpt")
            #expect(Set(accepting) == Set(goldPreferred))
            let closed = try await client.allIDs("/fhir/PractitionerRole?new-patient=nopt")
            #expect(closed == silverRoles)
            let spanish = try await client.fetch("/fhir/Practitioner/\(quill)")
            #expect(
                spanish.json["communication"]?.asList.compactMap { $0["text"]?.stringValue } == ["English", "Spanish"])
            #expect(spanish.json["meta"]?["lastUpdated"]?.stringValue == "2026-02-01T00:00:00Z")
            let facility = try await client.allIDs(
                "/fhir/OrganizationAffiliation?network=Organization/qhp-network-\(Self.gold)-non-preferred")
            #expect(facility == ["qhp-npi-4234567830-\(Self.gold)-non-preferred"])

            let rxcui = encode("http://www.nlm.nih.gov/research/umls/rxnorm|90000003")
            let items = try await client.fetch(
                "/fhir/Basic?subject:MedicationKnowledge.code=\(rxcui)&formulary=InsurancePlan/qhp-formulary-\(Self.gold)"
            )
            let item = items.json["entry"]?.asList.first?["resource"] ?? .null
            let usdf = "http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/usdf-"
            func ext(_ name: String) -> JSONValue? {
                item["extension"]?.asList.first { $0["url"]?.stringValue == "\(usdf)\(name)-extension" }
            }
            #expect(
                ext("DrugTierID")?["valueCodeableConcept"]?["coding"]?.asList.first?["code"]?.stringValue == "specialty"
            )
            #expect(ext("PriorAuthorization")?["valueBoolean"] == .bool(true))
            #expect(ext("QuantityLimit")?["valueBoolean"] == .bool(true))
            let vaccine = try await client.fetch("/fhir/Basic/qhp-fi-\(Self.gold)-90000009")
            #expect(
                vaccine.json["extension"]?.asList.contains {
                    $0["valueCodeableConcept"]?["coding"]?.asList.first?["code"]?.stringValue
                        == "zero-cost-share-preventative"
                } == true)
            let generic = try await client.fetch("/fhir/Basic/qhp-fi-\(Self.gold)-90000001")
            let pharmacies = generic.json["extension"]?.asList.filter {
                $0["url"]?.stringValue == "\(usdf)PharmacyBenefitType-extension"
            }.count
            #expect(pharmacies == 2, "the gold plan mails generics")
        }
    }

    @Test(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
    func theOutputMeetsTheProfiles() throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        let report = try Self.importFixtures(into: output)
        let packages = ["hl7.fhir.us.davinci-pdex-plan-net-1.1.0", "hl7.fhir.us.davinci-drug-formulary-2.0.1"].map {
            Fixtures.shared.appendingPathComponent("fhir/\($0)")
        }
        #expect(try ProfileRequirements.check(output, packages: packages) == report.written.values.reduce(0, +))
    }
}
