import FHIRCore
import Foundation
import Generator
import Storage
import Testing

/// The sample-network generator: determinism, valid NPIs, resolvable references, and the
/// Plan-Net profiles' required and must-support elements, checked against the IG package.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct GeneratorTests {
    static let planNet = Fixtures.shared.appendingPathComponent("fhir/hl7.fhir.us.davinci-pdex-plan-net-1.1.0")
    static let formulary = Fixtures.shared.appendingPathComponent("fhir/hl7.fhir.us.davinci-drug-formulary-2.0.1")

    /// A small network written once for the whole suite.
    static let network: (folder: URL, resources: [JSONValue]) = {
        let folder = try! Fixtures.temporaryFolder()
        try! NetworkGenerator(seed: 7, practitioners: 400).write(to: folder.path)
        var resources: [JSONValue] = []
        for file in try! FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let text = try! String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") { resources.append(try! JSONParser.parse(Array(line.utf8))) }
        }
        return (folder, resources)
    }()

    static func files(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    static func json(_ url: URL) throws -> JSONValue {
        try JSONParser.parse(Array(Data(contentsOf: url)))
    }

    @Test func theSameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot() throws {
        let again = try Fixtures.temporaryFolder()
        try NetworkGenerator(seed: 7, practitioners: 400).write(to: again.path)
        let other = try Fixtures.temporaryFolder()
        try NetworkGenerator(seed: 8, practitioners: 400).write(to: other.path)
        let first = try Self.files(Self.network.folder)
        #expect(first.count == 10)
        #expect(try Self.files(again) == first)
        #expect(try Self.files(other)["Practitioner.ndjson"] != first["Practitioner.ndjson"])
    }

    @Test func npiCheckDigits() {
        // CMS's published example NPI, and single-digit corruptions of it.
        #expect(NPI.isValid("1234567893"))
        #expect(!NPI.isValid("1234567890"))
        #expect(!NPI.isValid("1234567983"))
        #expect(!NPI.isValid("123456789"))
        #expect(NPI.make(base: 123_456_789) == "1234567893")
        let npis = Self.network.resources.flatMap { resource in
            (resource["identifier"]?.arrayValue ?? []).filter {
                $0["system"]?.stringValue == "http://hl7.org/fhir/sid/us-npi"
            }
            .compactMap { $0["value"]?.stringValue }
        }
        #expect(npis.count >= 400)
        #expect(npis.allSatisfy(NPI.isValid))
        #expect(Set(npis).count == npis.count, "NPIs are unique")
    }

    @Test func everyReferenceResolvesAndEveryRecordIsAccepted() throws {
        let output = try Fixtures.temporaryFolder().appendingPathComponent("generated.sqlite").path
        let report = try IndexBuilder(registry: Fixtures.registry).build(
            .init(inputs: [Self.network.folder.path], output: output))
        #expect(report.issues.isEmpty, "\(report.issues.prefix(3))")
        #expect(report.resourcesIndexed == Self.network.resources.count)
    }

    /// A few hundred drugs across three formularies, with every tier, PA/ST/QL flags both ways,
    /// and cost sharing per tier on the payer plans; tier codes come from the IG's CodeSystem.
    @Test func aFormularyBesideTheNetwork() throws {
        let tiers = try Self.json(
            Self.formulary.appendingPathComponent("CodeSystem-usdf-DrugTierCS-TEMPORARY-TRIAL-USE.json"))
        let allowed = Set(tiers["concept"]?.asList.compactMap { $0["code"]?.stringValue } ?? [])
        let resources = Self.network.resources
        let drugs = resources.filter { $0["resourceType"]?.stringValue == "MedicationKnowledge" }
        let items = resources.filter { $0["resourceType"]?.stringValue == "Basic" }
        #expect(drugs.count >= 200)
        func ext(_ item: JSONValue, _ name: String) -> JSONValue? {
            item["extension"]?.asList.first { $0["url"]?.stringValue?.hasSuffix("usdf-\(name)-extension") == true }
        }
        let formularies = Set(
            items.compactMap { ext($0, "FormularyReference")?["valueReference"]?["reference"]?.stringValue })
        #expect(formularies.count == 3)
        let usedTiers = Set(
            items.compactMap {
                ext($0, "DrugTierID")?["valueCodeableConcept"]?["coding"]?.asList.first?["code"]?.stringValue
            })
        #expect(usedTiers.isSubset(of: allowed))
        #expect(usedTiers.count >= 6)
        for flag in ["PriorAuthorization", "StepTherapyLimit", "QuantityLimit"] {
            let values = items.compactMap { ext($0, flag)?["valueBoolean"] }
            #expect(values.count == items.count, "\(flag) on every item")
            #expect(values.contains(.bool(true)) && values.contains(.bool(false)), "\(flag) takes both values")
        }
        let drugIDs = Set(drugs.compactMap { $0["id"]?.stringValue })
        #expect(
            items.allSatisfy { drugIDs.contains(String($0["subject"]?["reference"]?.stringValue?.dropFirst(20) ?? "")) }
        )
        let plans = resources.filter {
            $0["meta"]?["profile"]?.asList.contains { $0.stringValue?.hasSuffix("usdf-PayerInsurancePlan") == true }
                == true
        }
        #expect(plans.count == 3)
        for plan in plans {
            let costs = plan["plan"]?.asList.first?["specificCost"]?.asList ?? []
            #expect(costs.count == 2)
            #expect(costs.allSatisfy { ($0["benefit"]?.asList.count ?? 0) >= 5 })
        }
    }

    @Test func specialtiesComeFromTheIGValueSet() throws {
        let valueSet = try Self.json(
            Self.planNet.appendingPathComponent("ValueSet-IndividualAndGroupSpecialtiesVS.json"))
        var allowed: [String: String] = [:]
        for include in valueSet["compose"]?["include"]?.arrayValue ?? [] {
            for concept in include["concept"]?.arrayValue ?? [] {
                allowed[concept["code"]!.stringValue!] = concept["display"]?.stringValue
            }
        }
        #expect(allowed.count > 100)
        let codings = Self.network.resources.filter { $0["resourceType"]?.stringValue == "PractitionerRole" }
            .flatMap { ($0["specialty"]?.arrayValue ?? []).flatMap { $0["coding"]?.arrayValue ?? [] } }
        #expect(!codings.isEmpty)
        for coding in codings {
            let code = coding["code"]?.stringValue ?? ""
            #expect(coding["system"]?.stringValue == "http://nucc.org/provider-taxonomy")
            #expect(allowed[code] != nil, "\(code) is not in IndividualAndGroupSpecialtiesVS")
            #expect(coding["display"]?.stringValue == allowed[code], "display of \(code)")
        }
    }

    /// Must-support elements that real directory data usually leaves out, so the generator does too.
    static let mustSupportLeftOut: Set<String> = [
        "Practitioner.telecom", "Practitioner.address",  // NPPES puts contact points on the role and location
        "PractitionerRole.notAvailable", "HealthcareService.notAvailable", "PractitionerRole.endpoint",
        "Location.alias", "Location.partOf", "Location.endpoint", "Organization.partOf", "Organization.identifier",
        "Organization.endpoint", "Organization.telecom", "InsurancePlan.endpoint", "HealthcareService.type",
        "HealthcareService.specialty", "HealthcareService.comment", "HealthcareService.coverageArea",
        "OrganizationAffiliation.specialty", "Endpoint.contact",
    ]

    /// For each Plan-Net profile: every required top-level element is on every resource claiming
    /// the profile, and every must-support one appears somewhere unless listed above.
    @Test func resourcesCarryTheirProfilesRequiredAndMustSupportElements() throws {
        let planNet = try FileManager.default.contentsOfDirectory(atPath: Self.planNet.path)
            .filter { $0.hasPrefix("StructureDefinition-plannet-") }.map { Self.planNet.appendingPathComponent($0) }
        #expect(planNet.count == 9)
        let formulary = ["FormularyDrug", "FormularyItem", "Formulary", "PayerInsurancePlan"].map {
            Self.formulary.appendingPathComponent("StructureDefinition-usdf-\($0).json")
        }
        for file in planNet + formulary {
            let definition = try Self.json(file)
            let url = definition["url"]!.stringValue!
            let type = definition["type"]!.stringValue!
            let claiming = Self.network.resources.filter { resource in
                resource["meta"]?["profile"]?.arrayValue?.contains { $0.stringValue == url } == true
            }
            #expect(!claiming.isEmpty, "no generated resource claims \(url)")
            for element in definition["snapshot"]?["element"]?.arrayValue ?? [] {
                let path = element["path"]!.stringValue!
                let parts = path.split(separator: ".")
                guard parts.count == 2, element["id"]?.stringValue?.contains(":") != true else { continue }
                let name = String(parts[1])
                func present(_ resource: JSONValue) -> Bool {
                    if name.hasSuffix("[x]") {
                        let stem = name.dropLast(3)
                        return resource.objectValue?.keys.contains { $0.hasPrefix(stem) } == true
                    }
                    return resource[name] != nil
                }
                if case .number(let min) = element["min"], min != "0" {
                    let missing = claiming.filter { !present($0) }.compactMap { $0["id"]?.stringValue }
                    #expect(missing.isEmpty, "\(path) is required by \(url) but missing on \(missing.prefix(3))")
                }
                if element["mustSupport"] == .bool(true), !Self.mustSupportLeftOut.contains("\(type).\(name)") {
                    #expect(claiming.contains(where: present), "must-support \(path) never generated for \(url)")
                }
            }
        }
    }
}
