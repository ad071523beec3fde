import FHIRCore
import Foundation
import HummingbirdTesting
import Indexing
import SearchParameters
import Storage
import Testing

/// `_content`: every word typed must start a word of the resource's text or of its related
/// resources' text (as `0-content.json` says), best matches first, and no input is FTS5 syntax.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct ContentSearchTests {
    static let registry = Fixtures.registry

    /// The folded words a resource is found by: its string values and coded displays.
    static func ownWords(_ source: Oracle.Source) -> Set<String> {
        var words = Set<String>()
        for text in source.values.strings.map(\.raw) + source.values.texts.map(\.raw) {
            for word in TextNormalizer.normalize(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                words.insert(String(word))
            }
        }
        return words
    }

    /// Own words plus those of the related resources, following the registry's relations.
    static func words(_ source: Oracle.Source, _ oracle: Oracle) -> Set<String> {
        var words = ownWords(source)
        for relation in registry.content[source.type] ?? [] {
            var reached = [source]
            for step in relation.steps {
                switch step {
                case .forward(let parameter): reached = reached.flatMap { oracle.targets(of: $0, parameter) }
                case .reverse(let parameter): reached = reached.flatMap { oracle.referrers(of: $0, parameter) }
                }
            }
            for r in reached { words.formUnion(ownWords(r)) }
        }
        return words
    }

    static func expected(_ built: BuiltIndex, type: String, query: String) -> Set<String> {
        let oracle = Oracle(built)
        let wanted = TextNormalizer.normalize(query).split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return Set(
            built.sources(of: type).filter { source in
                let have = words(source, oracle)
                return wanted.allSatisfy { w in have.contains { $0.hasPrefix(w) } }
            }.map(\.id))
    }

    func check(_ built: BuiltIndex, _ type: String, _ query: String, nonEmpty: Bool = true) async throws {
        let expected = Self.expected(built, type: type, query: query)
        if nonEmpty { #expect(!expected.isEmpty, "\(type)?_content=\(query) should find something") }
        try await built.live { client in
            let ids = try await client.allIDs("/fhir/\(type)?_content=\(encode(query))&_count=7")
            #expect(ids.count == Set(ids).count, "duplicates across pages")
            #expect(Set(ids) == expected, "\(type)?_content=\(query)")
        }
    }

    @Test func drugsByWordPrefixes() async throws {
        try await check(Fixtures.formulary, "MedicationKnowledge", "doxe caps")
        try await check(Fixtures.formulary, "MedicationKnowledge", "acet oxyco 10")
        try await check(Fixtures.formulary, "MedicationKnowledge", "Oral tab")
    }

    /// A practitioner is found by a name, a specialty of one of its roles and the city of that
    /// role's location, as a caller describes a doctor.
    @Test func practitionersByNameSpecialtyAndCity() async throws {
        let built = Fixtures.ri
        let oracle = Oracle(built)
        let practitionerLink = Self.registry.parameter("PractitionerRole", "practitioner")!
        let locationLink = Self.registry.parameter("PractitionerRole", "location")!
        let specialty = Self.registry.parameter("PractitionerRole", "specialty")!
        var queries: [String] = []
        for role in built.sources(of: "PractitionerRole").prefix(40) {
            guard let practitioner = oracle.targets(of: role, practitionerLink).first,
                let family = practitioner.values.strings.first(where: { $0.raw.count > 4 })?.raw,
                let display = role.values.texts.first(where: { $0.pid == specialty.pid })?.raw,
                let city = oracle.targets(of: role, locationLink).first?.json["address"]?["city"]?.stringValue
            else { continue }
            queries.append("\(family.prefix(4)) \(display.prefix(5)) \(city.lowercased())")
            if queries.count == 3 { break }
        }
        #expect(queries.count == 3)
        for query in queries { try await check(built, "Practitioner", query) }
        try await check(built, "PractitionerRole", queries[0])
        try await check(built, "Location", "hartford")
        try await check(built, "Organization", "hosp")
    }

    @Test func bestMatchesComeFirstAndPagesLinkBothWays() async throws {
        try await Fixtures.formulary.live { client in
            let first = try await client.fetch("/fhir/MedicationKnowledge?_content=oral&_count=5")
            #expect(first.status == .ok)
            let links = first.json["link"]?.asList ?? []
            let next = links.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
            #expect(next != nil)
            let second = try await client.fetch(fhirPath(next!))
            let back = second.json["link"]?.asList.first { $0["relation"]?.stringValue == "previous" }?["url"]?
                .stringValue
            #expect(back != nil)
            let again = try await client.fetch(fhirPath(back!))
            let ids = { (r: FetchedResponse) in
                r.json["entry"]?.asList.compactMap { $0["resource"]?["id"]?.stringValue } ?? []
            }
            #expect(ids(again) == ids(first))
            let ranked = try await client.fetch("/fhir/MedicationKnowledge?_content=doxepin&_count=1000")
            #expect(ids(ranked).count > 1)
            // With _sort the order is by id again.
            let sorted = try await client.allIDs("/fhir/MedicationKnowledge?_content=doxepin&_sort=_id")
            #expect(sorted == sorted.sorted())
            #expect(Set(sorted) == Set(ids(ranked)))
        }
    }

    /// A short name that is nothing but the word ranks above a long one that mentions it, even
    /// though its id sorts last.
    @Test func rankBeatsIdOrder() async throws {
        let folder = try Fixtures.temporaryFolder()
        func drug(_ id: String, _ name: String) -> String {
            #"{"resourceType":"MedicationKnowledge","id":"\#(id)","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"\#(id)","display":"\#(name)"}]}}"#
        }
        let lines = [
            drug("a-long", "alpha beta gamma delta epsilon zeta eta theta iota kappa doxepin"),
            drug("m-none", "amoxicillin 500 MG Oral Capsule"),
            drug("z-short", "doxepin"),
        ]
        try (lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("drugs.ndjson"), atomically: true, encoding: .utf8)
        let built = try BuiltIndex(inputs: [folder.path], name: "rank")
        try await built.live { client in
            let ids = try await client.allIDs("/fhir/MedicationKnowledge?_content=doxepin")
            #expect(ids == ["z-short", "a-long"])
            let byID = try await client.allIDs("/fhir/MedicationKnowledge?_content=doxepin&_sort=_id")
            #expect(byID == ["a-long", "z-short"])
        }
    }

    @Test(arguments: [
        "\"", "*", "(", ")", "\") OR (\"", "NEAR(ab cd)", "ab AND", "^xy", "-xy", "col:xy", "{ab cd}", "xy\"zw",
        "\\", "'; DROP TABLE fts; --",
    ])
    func ftsSyntaxInInputIsNeverAnError(_ text: String) async throws {
        try await Fixtures.examples.inProcess { client in
            let response = try await client.fetch(
                "/fhir/Practitioner/_search", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "_content=\(encode(text))")
            #expect(response.status == .ok, "\(text.prefix(40))")
            #expect(response.json["resourceType"]?.stringValue == "Bundle")
        }
    }

    /// Too many words, or a one-letter word (which prefix-matches most of the text), is refused
    /// for its cost, with the parameter and the limit named; just under each limit is answered.
    @Test func contentWordsAreBounded() async throws {
        try await Fixtures.examples.inProcess { client in
            let eight = Array(repeating: "ab", count: 8).joined(separator: " ")
            #expect(try await client.fetch("/fhir/Practitioner?_content=\(encode(eight))").status == .ok)
            for (text, reason) in [
                (eight + " ab", "at most 8 words"), (String(repeating: "a ", count: 3000), "at most 8 words"),
                ("cardio x", "at least 2 characters"),
            ] {
                let response = try await client.fetch(
                    "/fhir/Practitioner/_search", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"], body: "_content=\(encode(text))")
                #expect(response.status == .badRequest)
                let issue = response.json["issue"]?.asList.first
                #expect(issue?["code"]?.stringValue == "too-costly")
                #expect(issue?["diagnostics"]?.stringValue?.contains(reason) == true, "\(text.prefix(20))")
            }
        }
    }

    @Test func contentOnOtherTypesIsA400() async throws {
        try await Fixtures.examples.inProcess { client in
            let response = try await client.fetch("/fhir/Endpoint?_content=x")
            #expect(response.status == .badRequest)
            #expect(response.json["issue"]?.asList.first?["diagnostics"]?.stringValue?.contains("Practitioner") == true)
        }
    }
}
