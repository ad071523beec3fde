import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Server
import Storage
import Testing

/// `plandir import partd` on the project's own fixtures (synthetic contracts and RXCUIs, the
/// header lines CMS publishes, the plan file in Windows-1252).
@Suite struct PartDImportTests {
    static let folder = Fixtures.root.appendingPathComponent("Tests/Fixtures/import/partd")
    static let inputs = ["plan_information_PPUF_2026Q1.txt", "basic_drugs_formulary_file_PPUF_2026Q1.txt"].map {
        folder.appendingPathComponent($0).path
    }

    static func importFixtures(into output: URL) throws -> ImportReport {
        var options = PartDImporter.Options()
        options.tiers = try PartDImporter.tierMap(
            "1=preferred-generic,2=generic,3=preferred-brand,4=non-preferred-brand,5=specialty")
        options.rxnorm = folder.appendingPathComponent("RXNCONSO.RRF").path
        var importer = PartDImporter(options: options, output: try NDJSONOutput(folder: output.path))
        return try importer.run(inputs: inputs)
    }

    @Test func theReportMatchesTheFixturesExpectedLines() throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        let report = try Self.importFixtures(into: output)
        try expectReport(report, matches: Self.folder)
        #expect(report.notes["skipped-suppressed-plan"] == 1)
        #expect(report.notes["drugs-without-name"] == 2)
        let again = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: again) }
        _ = try Self.importFixtures(into: again)
        try expectSameImport(output, again)
    }

    @Test func theImportIndexesAndAnswers() async throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try Self.importFixtures(into: output)
        let built = try BuiltIndex(inputs: [output.path], name: "partd-import")
        #expect(built.report.issues.filter { $0.severity == .rejected }.isEmpty)
        let usdf = "http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/usdf-"
        try await built.inProcess { client in
            // An RXCUI on its formulary: the stricter of its two NDC rows.
            let rxcui = encode("http://www.nlm.nih.gov/research/umls/rxnorm|90000002")
            let found = try await client.fetch(
                "/fhir/Basic?subject:MedicationKnowledge.code=\(rxcui)&formulary=InsurancePlan/formulary-00090001")
            let items = found.json["entry"]?.asList ?? []
            #expect(items.count == 1)
            let item = items.first?["resource"] ?? .null
            func ext(_ name: String) -> JSONValue? {
                item["extension"]?.asList.first { $0["url"]?.stringValue == "\(usdf)\(name)-extension" }
            }
            #expect(
                ext("DrugTierID")?["valueCodeableConcept"]?["coding"]?.asList.first?["code"]?.stringValue
                    == "preferred-brand")
            #expect(ext("PriorAuthorization")?["valueBoolean"] == .bool(true))
            #expect(ext("QuantityLimit")?["valueBoolean"] == .bool(true))
            let rolling = ext("QuantityLimitDetail")?["extension"]?.asList.first?["valueTiming"]?["repeat"]
            #expect(rolling?["count"] == .number("30") && rolling?["period"] == .number("30"))
            // The drug's name came from RxNorm; the plans using a formulary, without the suppressed one.
            let drug = try await client.fetch("/fhir/MedicationKnowledge/rxcui-90000002")
            #expect(
                drug.json["code"]?["coding"]?.asList.first?["display"]?.stringValue?.hasPrefix("amoxicillin 875")
                    == true)
            let plans = try await client.allIDs(
                "/fhir/InsurancePlan?formulary-coverage=InsurancePlan/formulary-00090002")
            #expect(plans == ["partd-H9001-002-001", "partd-S9002-010-000"])
            let named = try await client.fetch("/fhir/InsurancePlan/partd-H9001-002-001")
            #expect(named.json["name"]?.stringValue == "Salud Médica Rx’s Plus", "Windows-1252 decoded")
        }
    }

    /// Every output resource has its US Drug Formulary profile's required top-level elements.
    @Test(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
    func theOutputMeetsTheFormularyProfiles() throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try Self.importFixtures(into: output)
        let package = Fixtures.shared.appendingPathComponent("fhir/hl7.fhir.us.davinci-drug-formulary-2.0.1")
        let checked = try ProfileRequirements.check(output, packages: [package])
        #expect(checked == 18)
    }
}
