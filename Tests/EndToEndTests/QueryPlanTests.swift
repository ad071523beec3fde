import Foundation
import SearchParameters
import Storage
import Testing

/// No hidden full scans: the SQL of every benchmark scenario and of every search-parameter type
/// reads a large table through an index, never by walking it.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
struct QueryPlanTests {
    static let registry = Fixtures.registry

    /// The plan lines that walk a whole table or index rather than seeking in it. Plans name
    /// aliases, not tables, so any `SCAN` counts, but for a full-text MATCH (FTS5 seeks in its
    /// own index).
    static func fullScans(_ plan: [String]) -> [String] {
        plan.filter { $0.hasPrefix("SCAN") && !$0.contains("VIRTUAL TABLE") }
    }

    func plan(_ index: DirectoryIndex, _ type: String, _ query: String) throws -> [String] {
        let request = try SearchQueryParser(registry: Self.registry).parse(
            resourceType: type, parameters: FormDecoderForTests.pairs(query), lenient: false)
        return try index.explain(request)
    }

    /// The scenarios of `Benchmarks/suite.py`, with values from the RI data.
    @Test(arguments: [
        ("Practitioner", "name=cor"),
        ("Practitioner", "name=cormier"),
        ("PractitionerRole", "specialty=207RC0000X"),
        ("Location", "address-city=hartford"),
        ("Practitioner", "identifier=http://hl7.org/fhir/sid/us-npi%7C1230081110"),
        ("PractitionerRole", "practitioner.name=cor"),
        ("PractitionerRole", "location.address-city=hartford"),
        ("Practitioner", "_has:PractitionerRole:practitioner:specialty=207RC0000X"),
        (
            "PractitionerRole",
            "specialty=207RC0000X&_include=PractitionerRole:practitioner&_include=PractitionerRole:location"
                + "&_include:iterate=Location:organization"
        ),
        ("PractitionerRole", "_count=20&_cursor=YXx8cGxhbm5ldC1wcmFjdGl0aW9uZXJyb2xlLTE3MDAwMDAwMDA"),
    ])
    func benchmarkScenariosSearchIndexes(type: String, query: String) throws {
        let plan = try plan(Fixtures.ri.index, type, query)
        #expect(Self.fullScans(plan).isEmpty, "\(type)?\(query): \(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE FOR ORDER BY") }, "\(type)?\(query): \(plan)")
    }

    @Test(arguments: [
        (
            "Basic",
            "subject:MedicationKnowledge.code=http://www.nlm.nih.gov/research/umls/rxnorm%7C1000091"
                + "&_include=Basic:formulary"
        ),
        ("MedicationKnowledge", "_content=amox"),
    ])
    func formularyScenariosSearchIndexes(type: String, query: String) throws {
        let plan = try plan(Fixtures.formulary.index, type, query)
        #expect(Self.fullScans(plan).isEmpty, "\(type)?\(query): \(plan)")
    }

    /// One query per search-parameter type and form.
    @Test(arguments: [
        ("Practitioner", "family=cor"),
        ("Practitioner", "family:exact=Cormier"),
        ("Practitioner", "_id=plannet-practitioner-1230081110"),
        ("Practitioner", "_lastUpdated=gt2020-01-01"),
        ("PractitionerRole", "specialty=http://nucc.org/provider-taxonomy%7C207RC0000X"),
        ("PractitionerRole", "specialty:text=cardio"),
        ("PractitionerRole", "practitioner=Practitioner/plannet-practitioner-1230081110"),
        ("PractitionerRole", "period=ge2024-01-01"),
        ("PractitionerRole", "practitioner:identifier=http://hl7.org/fhir/sid/us-npi%7C1230081110"),
        ("Location", "address-postalcode=061"),
        ("Practitioner", "_content=cor"),
        ("Practitioner", "family:contains=rmie"),
    ])
    func everyParameterTypeSearchesIndexes(type: String, query: String) throws {
        let plan = try plan(Fixtures.ri.index, type, query)
        #expect(Self.fullScans(plan).isEmpty, "\(type)?\(query): \(plan)")
    }

    /// A materialized chain reads the copied values' key instead of walking the referring type.
    @Test func materializedChainsStreamLikePlainClauses() throws {
        for (type, query) in [
            ("PractitionerRole", "location.address-city=hartford"),
            ("PractitionerRole", "practitioner.name=cor"),
            ("PractitionerRole", "location.address-postalcode=061&specialty=207RC0000X"),
        ] {
            let plan = try plan(Fixtures.ri.index, type, query)
            #expect(!plan.contains { $0.contains("rowid>? AND rowid<?") }, "\(type)?\(query): \(plan)")
            // No join through `ref` (aliased c1, c2, …): the copied values are read directly.
            #expect(
                !plan.contains { $0.range(of: #"\bc\d+\b"#, options: .regularExpression) != nil },
                "\(type)?\(query): \(plan)")
            #expect(plan.first?.contains("USING PRIMARY KEY (pid=?") == true, "\(type)?\(query): \(plan)")
        }
        // Not materialized: two links still join through ref.
        let twoLinks = try plan(Fixtures.ri.index, "PractitionerRole", "location.organization.name=yale")
        #expect(twoLinks.contains { $0.contains("USING") })
    }

    /// `:contains` is led by the trigram index, not by a walk over the type's rows.
    @Test func containsLeadsFromTrigrams() throws {
        for query in ["family:contains=rmie", "name:contains=ormi,xyzzy", "address-city:contains=artfo"] {
            let type = query.hasPrefix("address") ? "Location" : "Practitioner"
            let plan = try plan(Fixtures.ri.index, type, query)
            #expect(plan.contains { $0.contains("VIRTUAL TABLE INDEX") }, "\(query): \(plan)")
            #expect(!plan.contains { $0.contains("rowid>? AND rowid<?") }, "\(query): \(plan)")
        }
    }

    /// A name prefix streams its matches in rid order from `pfx`, whatever its length.
    @Test func namePrefixesStreamFromThePrefixTable() throws {
        for query in ["name=cor", "name=cormier", "family=tre"] {
            let plan = try plan(Fixtures.ri.index, "Practitioner", query)
            #expect(plan.contains { $0.contains("USING PRIMARY KEY (pid=? AND p=?") }, "\(query): \(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(query): \(plan)")
        }
    }
}
