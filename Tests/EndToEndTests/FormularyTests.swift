import FHIRCore
import Foundation
import HummingbirdTesting
import Indexing
import SearchParameters
import Storage
import Testing

/// The US Drug Formulary API (STU 2.0.1 and STU 1.1 clients) beside the directory, on the
/// packages' examples and the real-world slice, against sets computed from the sources.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct FormularyTests {
    static var built: BuiltIndex { Fixtures.formulary }
    static let registry = Fixtures.registry

    @Test func everythingIndexesAndOnlyGraphDefinitionsAreRejected() {
        let report = Self.built.report
        #expect(report.resourcesByType["Basic"] ?? 0 >= 300)
        #expect(report.resourcesByType["MedicationKnowledge"] ?? 0 >= 300)
        #expect(report.resourcesByType["List"] == 4)
        // Both packages carry Location/StateOfCTLocation; the later copy wins and the earlier is reported.
        #expect(
            report.issues.filter { $0.severity == .rejected }.allSatisfy {
                $0.reason.contains("GraphDefinition") || $0.reason.hasPrefix("duplicate Location/StateOfCTLocation")
            })
    }

    /// Every parameter of every formulary type with data, through the generic conformance
    /// queries (prefix, :exact and :contains strings, token forms, references, date prefixes).
    @Test func everyFormularyParameter() async throws {
        let queries = SearchParameterConformanceTests.queries(for: Self.built).filter {
            ["Basic", "MedicationKnowledge", "List", "InsurancePlan", "Location"].contains($0.type)
        }
        let covered = Set(queries.map { "\($0.type).\($0.parameter.split(separator: ":")[0])" })
        for code in [
            "InsurancePlan.identifier", "InsurancePlan.status", "InsurancePlan.period", "InsurancePlan.type",
            "InsurancePlan.name", "InsurancePlan.coverage-type", "InsurancePlan.formulary-coverage",
            "InsurancePlan.coverage-area", "Basic.code", "Basic.subject", "Basic.status", "Basic.period",
            "Basic.formulary", "Basic.pharmacy-benefit-type", "Basic.drug-tier", "MedicationKnowledge.code",
            "MedicationKnowledge.status", "MedicationKnowledge.drug-name", "MedicationKnowledge.doseform",
            "MedicationKnowledge.DrugName", "MedicationKnowledge.DrugTier", "MedicationKnowledge.DrugPlan",
            "List.identifier", "List.status", "List.code", "Location.address", "Location.address-city",
            "Location.address-state", "Location.address-postalcode",
        ] {
            #expect(covered.contains(code), "no query for \(code)")
        }
        try await Self.built.live { client in
            for query in queries {
                let ids = try await client.allIDs(
                    "/fhir/\(query.type)?\(query.parameter)=\(encode(query.value))&_count=100")
                let same = Set(ids) == query.expected
                #expect(same, "\(query.type)?\(query.parameter)=\(query.value)")
            }
        }
    }

    /// A token search with or without `-TEMPORARY-TRIAL-USE` finds resources stored either way.
    @Test func codeSystemsMatchWithAndWithoutTheTrialUseSuffix() async throws {
        let tier = Self.registry.parameter("Basic", "drug-tier")!
        // From the raw JSON: every Basic with a tier coding of this system, written either way.
        let system = "http://hl7.org/fhir/us/davinci-drug-formulary/CodeSystem/usdf-DrugTierCS"
        var expected = Set<String>()
        var spellings = Set<String>()
        for source in Self.built.sources(of: "Basic") {
            for ext in source.json["extension"]?.asList ?? []
            where ext["url"]?.stringValue?.hasSuffix("DrugTierID-extension") == true {
                for coding in ext["valueCodeableConcept"]?["coding"]?.asList ?? [] {
                    let written = coding["system"]?.stringValue ?? ""
                    if written.hasPrefix(system) && coding["code"]?.stringValue == "generic" {
                        expected.insert(source.id)
                        spellings.insert(written)
                    }
                }
            }
        }
        #expect(spellings.count == 2, "the data has both spellings: \(spellings)")
        #expect(tier.type == .token)
        try await Self.built.live { [expected] client in
            for query in [system, system + "-TEMPORARY-TRIAL-USE"] {
                let ids = try await client.allIDs("/fhir/Basic?drug-tier=\(encode(query + "|generic"))&_count=500")
                #expect(Set(ids) == expected, "\(query)")
            }
        }
    }

    /// The queries of the IG's query page: a plan's items for a drug by name or RxCUI with the
    /// drug included, and which formularies cover a drug.
    @Test func theIGsChainedQueries() async throws {
        let oracle = Oracle(Self.built)
        let subject = Self.registry.parameter("Basic", "subject")!
        let formulary = Self.registry.parameter("Basic", "formulary")!
        let drugName = Self.registry.parameter("MedicationKnowledge", "drug-name")!
        let code = Self.registry.parameter("MedicationKnowledge", "code")!
        let items = Self.built.sources(of: "Basic")
        let plan = "InsurancePlan/Formulary-10207VA0380001"
        @Sendable func drugs(_ item: Oracle.Source) -> [Oracle.Source] { oracle.targets(of: item, subject) }
        let byName = items.filter { item in
            Oracle.matches(item, formulary, plan) && drugs(item).contains { Oracle.matches($0, drugName, "doxepin") }
        }
        #expect(!byName.isEmpty)
        let rxcui =
            "http://www.nlm.nih.gov/research/umls/rxnorm|"
            + (drugs(byName[0])[0].values.tokens.first {
                $0.pid == code.pid && $0.value.hasPrefix("http://www.nlm.nih.gov/research/umls/rxnorm|")
                    && !$0.value.hasSuffix("|")
            }!.value.split(separator: "|")[1])
        let byCode = items.filter { item in drugs(item).contains { Oracle.matches($0, code, rxcui) } }
        try await Self.built.live { client in
            let pages = try await CrossResourceTests.pages(
                client,
                "/fhir/Basic?code=formulary-item&formulary=\(plan)&subject:MedicationKnowledge.drug-name=doxepin"
                    + "&_include=Basic:subject&_count=4", limit: 50)
            #expect(Set(pages.flatMap(\.matches)) == Set(byName.map { "Basic/\($0.id)" }))
            for page in pages {
                let expected = Set(page.matches.compactMap { oracle.byKey[$0] }.flatMap(drugs).map(Oracle.key))
                #expect(Set(page.included) == expected)
            }
            let coded = try await CrossResourceTests.pages(
                client, "/fhir/Basic?subject:MedicationKnowledge.code=\(encode(rxcui))&_include=Basic:formulary",
                limit: 50)
            #expect(Set(coded.flatMap(\.matches)) == Set(byCode.map { "Basic/\($0.id)" }))
            let formularies = Set(byCode.flatMap { oracle.targets(of: $0, formulary) }.map(Oracle.key))
            #expect(!formularies.isEmpty)
            #expect(Set(coded.flatMap(\.included)) == formularies)
            // Which formularies cover this drug, from the drug's side.
            let drug = drugs(byName[0])[0]
            let reverse = try await CrossResourceTests.pages(
                client, "/fhir/MedicationKnowledge?_id=\(drug.id)&_revinclude=Basic:subject", limit: 5)
            let referrers = Set(oracle.referrers(of: drug, subject).map(Oracle.key))
            #expect(Set(reverse.flatMap(\.included)) == referrers)
            // A plan's formularies, through the coverage reference.
            let plans = try await CrossResourceTests.pages(
                client,
                "/fhir/InsurancePlan?formulary-coverage:missing=false&_include=InsurancePlan:formulary-coverage",
                limit: 5)
            #expect(!plans.flatMap(\.included).isEmpty)
            #expect(plans.flatMap(\.included).allSatisfy { $0.hasPrefix("InsurancePlan/") })
        }
    }

    @Test func drugNameRepeatedIsAnd() async throws {
        let drugName = Self.registry.parameter("MedicationKnowledge", "drug-name")!
        let drugs = Self.built.sources(of: "MedicationKnowledge")
        let second = "acetaminophen 325 MG / oxycodone hydrochloride 10"
        let both = drugs.filter { Oracle.matches($0, drugName, "acet") && Oracle.matches($0, drugName, second) }
        let first = drugs.filter { Oracle.matches($0, drugName, "acet") }
        #expect(!both.isEmpty && both.count < first.count)
        try await Self.built.live { client in
            let ids = try await client.allIDs(
                "/fhir/MedicationKnowledge?drug-name=acet&drug-name=\(encode(second))&_count=100")
            #expect(Set(ids) == Set(both.map(\.id)))
        }
    }

    @Test(arguments: [
        ("Basic?subject:MedicationKnowledge.nope=x", "not declared"),
        ("Basic?formulary.period=2020", "not declared"),
        ("List?item.status=x", "not declared"),
        ("Basic?drug-tier:text=generic", "unknown modifier"),
        ("Basic?period=2020-13", "not a valid date"),
        ("MedicationKnowledge?drug-name:below=x", "unknown modifier"),
        ("MedicationKnowledge?DrugTier=a|b|c", "a token is"),
        ("Basic?_include=Basic:nope", "no reference parameter"),
        ("MedicationKnowledge?_revinclude=Basic:formulary", "does not refer to MedicationKnowledge"),
        ("List?_content=x", "_content is served on"),
    ])
    func badFormularyRequests(_ query: String, _ reason: String) async throws {
        try await Self.built.inProcess { client in try await client.expectBadRequest(query, reason) }
    }

    @Test func theCapabilityStatementInstantiatesBothIGs() async throws {
        try await Self.built.inProcess { client in
            let statement = try await client.fetch("/fhir/metadata").json
            let instantiates = statement["instantiates"]?.asList.compactMap(\.stringValue) ?? []
            #expect(instantiates.contains("http://hl7.org/fhir/us/davinci-pdex-plan-net/CapabilityStatement/plan-net"))
            #expect(
                instantiates.contains("http://hl7.org/fhir/us/davinci-drug-formulary/CapabilityStatement/usdf-server"))
            let resources = statement["rest"]?.asList.first?["resource"]?.asList ?? []
            let plan = resources.first { $0["type"]?.stringValue == "InsurancePlan" }
            let names = Set(plan?["searchParam"]?.asList.compactMap { $0["name"]?.stringValue } ?? [])
            #expect(
                names.isSuperset(of: [
                    "formulary-coverage", "coverage-type", "status", "period", "owned-by", "plan-type",
                ]))
            let profiles = plan?["supportedProfile"]?.asList.compactMap(\.stringValue) ?? []
            #expect(
                profiles.contains("http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/usdf-Formulary"))
            let medication = resources.first { $0["type"]?.stringValue == "MedicationKnowledge" }
            let revincludes = medication?["searchRevInclude"]?.asList.compactMap(\.stringValue) ?? []
            #expect(revincludes.contains("Basic:subject"))
        }
    }

    /// The 1.4 MB GeoJSON boundary is stored and served byte for byte.
    @Test func largeLocationBoundaryRoundTrips() async throws {
        let file = URL(fileURLWithPath: Fixtures.formularyExamples).appendingPathComponent(
            "Location-UnitedStatesLocation.json")
        let source = JSONBytes.compact(Array(try Data(contentsOf: file)))
        #expect(source.count > 1_000_000)
        try await Self.built.live { client in
            let response = try await client.fetch("/fhir/Location/UnitedStatesLocation")
            #expect(response.status == .ok)
            // The source has meta.lastUpdated, so the stored bytes are the source minus whitespace.
            #expect(response.bytes == source)
        }
    }
}
