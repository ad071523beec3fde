import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Indexing
import SearchParameters
import Server
import Storage
import Testing

/// Chains, `_has`, `_include`/`_revinclude` and the modifiers that look across resources, on
/// the IG examples and the RI data over a real socket, against sets computed by `Oracle`.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct CrossResourceTests {
    static let registry = Fixtures.registry

    struct Query: CustomStringConvertible {
        var path: String
        var expected: Set<String>
        var description: String { path }
    }

    /// Every declared chain (`link.code` and `link:Type.code`), and every two-link chain the
    /// definitions allow, with a value that some target has.
    static func chainQueries(_ built: BuiltIndex) -> [Query] {
        let oracle = Oracle(built)
        var queries: [Query] = []
        for type in registry.resourceTypes {
            let sources = built.sources(of: type)
            for link in registry.parameters(for: type) where link.type == .reference {
                for code in link.chains {
                    for targetType in link.targets {
                        guard let parameter = registry.parameter(targetType, code) else { continue }
                        // One-link chain.
                        if let value = sources.lazy.flatMap({ oracle.targets(of: $0, link) })
                            .filter({ $0.type == targetType }).compactMap({ Oracle.sampleValue($0, parameter) }).first
                        {
                            let expected = sources.filter { s in
                                oracle.targets(of: s, link).contains {
                                    $0.type == targetType && Oracle.matches($0, parameter, value)
                                }
                            }
                            let ids = Set(expected.map(\.id))
                            queries.append(
                                Query(path: "/fhir/\(type)?\(link.code).\(code)=\(encode(value))", expected: ids))
                            queries.append(
                                Query(
                                    path: "/fhir/\(type)?\(link.code):\(targetType).\(code)=\(encode(value))",
                                    expected: ids))
                        }
                        // Two-link chains: link.code.next, where `code` is itself a chainable reference.
                        guard parameter.type == .reference else { continue }
                        for next in parameter.chains {
                            for secondType in parameter.targets {
                                guard let last = registry.parameter(secondType, next) else { continue }
                                let reached = sources.lazy.flatMap { oracle.targets(of: $0, link) }
                                    .filter { $0.type == targetType }.flatMap { oracle.targets(of: $0, parameter) }
                                guard
                                    let value = reached.filter({ $0.type == secondType })
                                        .compactMap({ Oracle.sampleValue($0, last) }).first
                                else { continue }
                                let expected = sources.filter { s in
                                    oracle.targets(of: s, link).contains { middle in
                                        middle.type == targetType
                                            && oracle.targets(of: middle, parameter).contains {
                                                $0.type == secondType && Oracle.matches($0, last, value)
                                            }
                                    }
                                }
                                queries.append(
                                    Query(
                                        path: "/fhir/\(type)?\(link.code).\(code).\(next)=\(encode(value))",
                                        expected: Set(expected.map(\.id))))
                            }
                        }
                    }
                }
            }
        }
        return queries
    }

    /// One `_has` per reverse link (every reference parameter, to every target type), with the
    /// first plain parameter of the referring type that has data, else `_id`.
    static func hasQueries(_ built: BuiltIndex) -> [Query] {
        let oracle = Oracle(built)
        var queries: [Query] = []
        for link in registry.all where link.type == .reference {
            let referrers = built.sources(of: link.resourceType)
            for target in link.targets {
                let linked = referrers.filter { oracle.targets(of: $0, link).contains { $0.type == target } }
                guard let example = linked.first else { continue }
                let inner =
                    registry.parameters(for: link.resourceType).first { p in
                        p.type == .token && !p.isID && Oracle.sampleValue(example, p) != nil
                    } ?? registry.parameter(link.resourceType, "_id")!
                let value = Oracle.sampleValue(example, inner)!
                var expected = Set<String>()
                for referrer in referrers where Oracle.matches(referrer, inner, value) {
                    for t in oracle.targets(of: referrer, link) where t.type == target { expected.insert(t.id) }
                }
                queries.append(
                    Query(
                        path: "/fhir/\(target)?_has:\(link.resourceType):\(link.code):\(inner.code)=\(encode(value))",
                        expected: expected))
            }
        }
        return queries
    }

    func run(_ queries: [Query], on built: BuiltIndex) async throws {
        try await built.live { client in
            for query in queries {
                let ids = try await client.allIDs(query.path + "&_count=50")
                #expect(ids.count == Set(ids).count, "duplicates: \(query)")
                let extra = Set(ids).subtracting(query.expected)
                let missing = query.expected.subtracting(ids)
                #expect(
                    extra.isEmpty && missing.isEmpty, "\(query): extra \(extra.prefix(3)), missing \(missing.prefix(3))"
                )
            }
        }
    }

    @Test(arguments: ["examples", "ri", "formulary"]) func everyDeclaredChain(_ name: String) async throws {
        let built = Self.fixture(name)
        let queries = Self.chainQueries(built)
        #expect(queries.count > 20)
        #expect(queries.contains { !$0.expected.isEmpty })
        try await run(queries, on: built)
    }

    @Test func chainsCoverEveryDeclaredLinkWithData() {
        // Across both data sets, each declared (link, code) pair whose target has the value is queried.
        let paths = Set(
            (Self.chainQueries(Fixtures.examples) + Self.chainQueries(Fixtures.ri)).map {
                String($0.path.split(separator: "=")[0])
            })
        for examples in [Fixtures.examples, Fixtures.ri] {
            let oracle = Oracle(examples)
            for type in Self.registry.resourceTypes {
                for link in Self.registry.parameters(for: type) where link.type == .reference {
                    for code in link.chains {
                        let hasData = examples.sources(of: type).contains { s in
                            oracle.targets(of: s, link).contains { t in
                                Self.registry.parameter(t.type, code).map { Oracle.sampleValue(t, $0) != nil } ?? false
                            }
                        }
                        if hasData {
                            #expect(
                                paths.contains("/fhir/\(type)?\(link.code).\(code)"), "\(type)?\(link.code).\(code)")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: ["examples", "ri"]) func oneHasPerReverseLink(_ name: String) async throws {
        let built = name == "ri" ? Fixtures.ri : Fixtures.examples
        let queries = Self.hasQueries(built)
        #expect(queries.count >= 10)
        #expect(queries.allSatisfy { !$0.expected.isEmpty })
        try await run(queries, on: built)
    }

    @Test func hasCombinesWithOtherParametersAndNests() async throws {
        let built = Fixtures.ri
        let oracle = Oracle(built)
        let role = Self.registry.parameter("PractitionerRole", "practitioner")!
        let specialty = Self.registry.parameter("PractitionerRole", "specialty")!
        let location = Self.registry.parameter("PractitionerRole", "location")!
        let code = "207RC0000X"
        let cardiologists = Set(
            built.sources(of: "PractitionerRole").filter { Oracle.matches($0, specialty, code) }
                .flatMap { oracle.targets(of: $0, role) }.map(\.id))
        let family = Self.registry.parameter("Practitioner", "family")!
        let prefix = "s"
        let named = Set(built.sources(of: "Practitioner").filter { Oracle.matches($0, family, prefix) }.map(\.id))
        // Nested: organizations managing a location where some cardiologist works.
        let organization = Self.registry.parameter("Location", "organization")!
        let locations = built.sources(of: "PractitionerRole").filter { Oracle.matches($0, specialty, code) }
            .flatMap { oracle.targets(of: $0, location) }
        let organizations = Set(locations.flatMap { oracle.targets(of: $0, organization) }.map(\.id))
        #expect(!organizations.isEmpty)
        try await built.live { client in
            let both = try await client.allIDs(
                "/fhir/Practitioner?_has:PractitionerRole:practitioner:specialty=\(code)&family=\(prefix)&_count=50")
            #expect(Set(both) == cardiologists.intersection(named))
            // Nested _has is over the default limit of one level…
            try await client.expectBadRequest(
                "Organization?_has:Location:organization:_has:PractitionerRole:location:specialty=\(code)",
                "_has nests at most 1 level deep")
        }
        // … and answered where an operator allows two.
        var limits = SearchLimits()
        limits.hasNesting = 2
        let app = buildApplication(index: built.index, configuration: ServerConfiguration(port: 0, limits: limits))
        try await app.test(.router) { client in
            let nested = try await client.allIDs(
                "/fhir/Organization?_has:Location:organization:_has:PractitionerRole:location:specialty=\(code)&_count=50"
            )
            #expect(Set(nested) == organizations)
        }
    }

    // MARK: Includes

    struct Page {
        var matches: [String]
        var included: [String]
    }

    /// Up to `limit` pages from `path`, following `next`, with each entry's type/id by mode.
    static func pages(_ client: any TestClientProtocol, _ path: String, limit: Int) async throws -> [Page] {
        var pages: [Page] = []
        var next: String? = path
        while let current = next, pages.count < limit {
            let response = try await client.fetch(current)
            #expect(
                response.status == .ok, "\(current): \(String(decoding: response.bytes, as: UTF8.self).prefix(300))")
            guard response.status == .ok else { break }
            var page = Page(matches: [], included: [])
            for entry in response.json["entry"]?.asList ?? [] {
                let resource = entry["resource"]!
                let key = "\(resource["resourceType"]!.stringValue!)/\(resource["id"]!.stringValue!)"
                #expect(entry["fullUrl"]?.stringValue?.hasSuffix("/fhir/\(key)") == true)
                switch entry["search"]?["mode"]?.stringValue {
                case "match": page.matches.append(key)
                case "include": page.included.append(key)
                default: Issue.record("unexpected mode in \(current)")
                }
            }
            pages.append(page)
            next = response.json["link"]?.asList.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
                .map(fhirPath)
        }
        return pages
    }

    /// Each page's included resources are exactly what the oracle derives from that page's
    /// matches, each once; `_count` counts matches only.
    func checkIncludes(_ built: BuiltIndex, type: String, query: String, count: Int = 3, pages: Int = 3) async throws {
        let oracle = Oracle(built)
        let parsed = try SearchQueryParser(registry: Self.registry).parse(
            resourceType: type, parameters: FormDecoderForTests.pairs(query), lenient: false)
        try await built.live { client in
            let fetched = try await Self.pages(client, "/fhir/\(type)?\(query)&_count=\(count)", limit: pages)
            #expect(!fetched.isEmpty)
            for page in fetched {
                #expect(page.matches.count <= count)
                #expect(page.included.count == Set(page.included).count, "an included resource repeats: \(query)")
                let matches = page.matches.compactMap { oracle.byKey[$0] }
                let expected = oracle.included(matches: matches, includes: parsed.includes)
                #expect(Set(page.included) == expected, "\(type)?\(query) page \(page.matches)")
            }
        }
    }

    static func fixture(_ name: String) -> BuiltIndex {
        switch name {
        case "ri": return Fixtures.ri
        case "formulary": return Fixtures.formulary
        default: return Fixtures.examples
        }
    }

    @Test(arguments: ["examples", "ri", "formulary"]) func everyIncludeAndRevinclude(_ name: String) async throws {
        let built = Self.fixture(name)
        let oracle = Oracle(built)
        var checked = 0
        for link in Self.registry.all where link.type == .reference {
            // Forward: from the link's own type, starting at resources that have the reference.
            let sources = built.sources(of: link.resourceType)
            if let first = sources.first(where: { !oracle.targets(of: $0, link).isEmpty }) {
                try await checkIncludes(
                    built, type: link.resourceType, query: "_include=\(link.resourceType):\(link.code)&_sort=_id",
                    pages: 2)
                try await checkIncludes(
                    built, type: link.resourceType, query: "_id=\(first.id)&_include=\(link.resourceType):\(link.code)")
                checked += 1
            }
            // Reverse: from each target type.
            for target in link.targets {
                if let referred = sources.lazy.flatMap({ oracle.targets(of: $0, link) }).first(where: {
                    $0.type == target
                }) {
                    try await checkIncludes(
                        built, type: target, query: "_id=\(referred.id)&_revinclude=\(link.resourceType):\(link.code)")
                    try await checkIncludes(
                        built, type: target, query: "_revinclude=\(link.resourceType):\(link.code)", pages: 2)
                    checked += 1
                }
            }
        }
        #expect(checked >= 15)
    }

    @Test func severalIncludesIterateAndWildcard() async throws {
        let built = Fixtures.ri
        try await checkIncludes(
            built, type: "PractitionerRole",
            query: "specialty=207R00000X&_include=PractitionerRole:location&_include=PractitionerRole:practitioner"
                + "&_include:iterate=Location:organization",
            count: 4, pages: 4)
        try await checkIncludes(
            built, type: "Practitioner",
            query: "_revinclude=PractitionerRole:practitioner&_include:iterate=PractitionerRole:organization"
                + "&_include:iterate=PractitionerRole:location",
            count: 5, pages: 3)
        try await checkIncludes(
            built, type: "PractitionerRole", query: "_include=PractitionerRole:*", count: 5, pages: 2)
        try await checkIncludes(
            Fixtures.examples, type: "OrganizationAffiliation", query: "_include=OrganizationAffiliation:*", count: 2,
            pages: 3)
    }

    @Test func includesWithChainsAndHasOnOnePage() async throws {
        // The issue's own example shape: a chained search with includes.
        try await checkIncludes(
            Fixtures.ri, type: "PractitionerRole",
            query:
                "location.address-city=new&_include=PractitionerRole:location&_include:iterate=Location:organization",
            count: 3, pages: 3)
        try await checkIncludes(
            Fixtures.ri, type: "Practitioner",
            query: "_has:PractitionerRole:practitioner:specialty=207RC0000X&_revinclude=PractitionerRole:practitioner",
            count: 4, pages: 3)
    }

    // MARK: Modifiers

    @Test(arguments: ["examples", "ri", "formulary"]) func missingOnEveryParameter(_ name: String) async throws {
        let built = Self.fixture(name)
        var queries: [Query] = []
        for type in Self.registry.resourceTypes {
            let sources = built.sources(of: type)
            if sources.isEmpty { continue }
            for parameter in Self.registry.parameters(for: type) {
                let pid = parameter.pid
                func has(_ s: Oracle.Source) -> Bool {
                    switch parameter.type {
                    case _ where parameter.isID: return true
                    case .token: return s.values.tokens.contains { $0.pid == pid }
                    case .string: return s.values.strings.contains { $0.pid == pid }
                    case .date: return s.values.dates.contains { $0.pid == pid }
                    case .reference: return s.values.references.contains { $0.pid == pid }
                    case .special: return s.values.points.contains { $0.pid == pid }
                    default: return true
                    }
                }
                queries.append(
                    Query(
                        path: "/fhir/\(type)?\(parameter.code):missing=true",
                        expected: Set(sources.filter { !has($0) }.map(\.id))))
                queries.append(
                    Query(
                        path: "/fhir/\(type)?\(parameter.code):missing=false",
                        expected: Set(sources.filter(has).map(\.id))))
            }
        }
        try await built.live { [queries] client in
            for query in queries {
                let ids = try await client.allIDs(query.path + "&_count=1000")
                #expect(Set(ids) == query.expected, "\(query)")
            }
        }
    }

    @Test func textNotAndIdentifier() async throws {
        let built = Fixtures.ri
        let oracle = Oracle(built)
        var queries: [Query] = []
        // :text on every token parameter that declares it and has displays.
        for parameter in Self.registry.all where parameter.type == .token && parameter.modifiers.contains("text") {
            let sources = built.sources(of: parameter.resourceType)
            guard
                let text = sources.lazy.compactMap({
                    $0.values.texts.first { $0.pid == parameter.pid && !$0.raw.isEmpty }?.raw
                }).first
            else {
                continue
            }
            // The second word's first four letters: a word match, not only a prefix of the whole text.
            let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            let word = String((words.count > 1 ? words[1] : words[0]).prefix(4))
            let folded = TextNormalizer.normalize(word)
            let expected = sources.filter { s in
                s.values.texts.contains { t in
                    t.pid == parameter.pid
                        && TextNormalizer.normalize(t.raw).split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                            .contains { $0.hasPrefix(folded) }
                }
            }
            queries.append(
                Query(
                    path: "/fhir/\(parameter.resourceType)?\(parameter.code):text=\(encode(word.uppercased()))",
                    expected: Set(expected.map(\.id))))
        }
        #expect(queries.count >= 3)
        // :not on tokens: everything without the code, including resources with no value.
        let specialty = Self.registry.parameter("PractitionerRole", "specialty")!
        let roles = built.sources(of: "PractitionerRole")
        queries.append(
            Query(
                path: "/fhir/PractitionerRole?specialty:not=207R00000X",
                expected: Set(roles.filter { !Oracle.matches($0, specialty, "207R00000X") }.map(\.id))))
        // :identifier: a role's practitioner by NPI, through the practitioner's identifier.
        let practitionerLink = Self.registry.parameter("PractitionerRole", "practitioner")!
        let identifier = Self.registry.parameter("Practitioner", "identifier")!
        for role in roles.prefix(3) {
            let practitioner = oracle.targets(of: role, practitionerLink)[0]
            let npi = practitioner.values.tokens.first {
                $0.pid == identifier.pid && $0.value.hasPrefix("http://hl7.org/fhir/sid/us-npi|")
            }!.value
            let expected = roles.filter { r in
                oracle.targets(of: r, practitionerLink).contains { Oracle.matches($0, identifier, npi) }
            }
            queries.append(
                Query(
                    path: "/fhir/PractitionerRole?practitioner:identifier=\(encode(npi))",
                    expected: Set(expected.map(\.id))))
        }
        try await run(queries, on: built)
    }

    @Test func logicalReferencesAnswerIdentifier() async throws {
        // Reference.identifier without a literal reference, as some payers publish.
        let folder = try Fixtures.temporaryFolder()
        let lines = [
            #"{"resourceType":"PractitionerRole","id":"r1","practitioner":{"identifier":{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234567893"}}}"#,
            #"{"resourceType":"PractitionerRole","id":"r2","practitioner":{"identifier":{"system":"http://hl7.org/fhir/sid/us-npi","value":"1245319599"}}}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("roles.ndjson"), atomically: true, encoding: .utf8)
        let built = try BuiltIndex(inputs: [folder.path], name: "logical")
        try await built.live { client in
            let ids = try await client.allIDs(
                "/fhir/PractitionerRole?practitioner:identifier=\(encode("http://hl7.org/fhir/sid/us-npi|1234567893"))")
            #expect(ids == ["r1"])
        }
    }

    @Test(arguments: [
        ("PractitionerRole?location.name=x", "not declared"),
        ("PractitionerRole?specialty.name=x", "not a reference"),
        ("PractitionerRole?location:Organization.address-city=x", "not Organization"),
        ("PractitionerRole?location.organization.partof.name=x", "a chain has at most 2 links"),
        ("PractitionerRole?nope.name=x", "unknown search parameter"),
        ("Practitioner?_has:PractitionerRole:practitioner=x", "_has:Type:reference:parameter"),
        ("Practitioner?_has:Patient:general-practitioner:name=x", "unknown resource type"),
        ("Practitioner?_has:PractitionerRole:location:specialty=x", "not Practitioner"),
        ("Practitioner?_has:PractitionerRole:specialty:role=x", "no reference parameter"),
        ("Practitioner?_has:PractitionerRole:nope:specialty=x", "no reference parameter"),
        ("Practitioner?_include=Practitioner:name", "no reference parameter"),
        ("Practitioner?_include=Location:organization", "needs a Practitioner source"),
        ("Practitioner?_revinclude=Location:organization", "does not refer to Practitioner"),
        ("Practitioner?_include=junk", "SourceType:parameter"),
        ("Practitioner?_include:deep=Practitioner:name", "only :iterate"),
        ("PractitionerRole?_include=PractitionerRole:location:Organization", "never refers to Organization"),
        ("Practitioner?name:text=x", "unknown modifier"),
        ("Location?address-city:text=x", "unknown modifier"),
        ("PractitionerRole?specialty:below=x", "unknown modifier"),
        ("PractitionerRole?practitioner:identifier=a|b|c", "system|code"),
    ])
    func badCrossResourceRequests(_ query: String, _ reason: String) async throws {
        try await Fixtures.examples.inProcess { client in try await client.expectBadRequest(query, reason) }
    }

    @Test func lenientHandlingIgnoresUnknownCrossResourceParameters() async throws {
        try await Fixtures.examples.inProcess { client in
            let response = try await client.fetch(
                "/fhir/Practitioner?nope.name=x&_has:Patient:x:y=1&_include=Nope:x",
                headers: [.init("Prefer")!: "handling=lenient"])
            #expect(response.status == .ok)
            let link = response.json["link"]?.asList.first?["url"]?.stringValue ?? ""
            #expect(!link.contains("nope") && !link.contains("_has") && !link.contains("_include"), "\(link)")
        }
    }

    /// The CapabilityStatement lists what works: the IG's includes and revincludes are all there,
    /// and every listed one parses and runs.
    @Test func capabilityStatementListsIncludesRevincludesAndChains() async throws {
        let ig = try JSONParser.parse(
            Array(
                Data(
                    contentsOf: Fixtures.shared.appendingPathComponent(
                        "fhir/hl7.fhir.us.davinci-pdex-plan-net-1.1.0/CapabilityStatement-plan-net.json"))))
        try await Fixtures.examples.inProcess { client in
            let ours = try await client.fetch("/fhir/metadata").json
            let resources = ours["rest"]?.asList.first?["resource"]?.asList ?? []
            func listed(_ type: String, _ key: String) -> [String] {
                resources.first { $0["type"]?.stringValue == type }?[key]?.asList.compactMap(\.stringValue) ?? []
            }
            for resource in ig["rest"]?.asList.first?["resource"]?.asList ?? [] {
                let type = resource["type"]!.stringValue!
                for key in ["searchInclude", "searchRevInclude"] {
                    let wanted = resource[key]?.asList.compactMap(\.stringValue) ?? []
                    #expect(Set(wanted).isSubset(of: listed(type, key)), "\(type).\(key)")
                    for value in listed(type, key) {
                        let name = key == "searchInclude" ? "_include" : "_revinclude"
                        let response = try await client.fetch("/fhir/\(type)?\(name)=\(encode(value))")
                        #expect(response.status == .ok, "\(type)?\(name)=\(value)")
                    }
                }
                // Each declared chain is documented on its reference parameter.
                for parameter in Self.registry.parameters(for: type) where !parameter.chains.isEmpty {
                    let entry = resources.first { $0["type"]?.stringValue == type }?["searchParam"]?.asList
                        .first { $0["name"]?.stringValue == parameter.code }
                    let documentation = entry?["documentation"]?.stringValue ?? ""
                    for chain in parameter.chains {
                        #expect(
                            documentation.contains("\(parameter.code).\(chain)"), "\(type).\(parameter.code).\(chain)")
                    }
                }
            }
        }
    }

    // MARK: Plans

    /// Common cross-resource queries read through indexes only: no full scan of a big table and
    /// no sort of the whole result hides in them.
    @Test func commonCrossResourceQueriesUseIndexes() throws {
        let index = Fixtures.ri.index
        let parser = SearchQueryParser(registry: Self.registry)
        let queries: [(String, String)] = [
            ("PractitionerRole", "location.address-city=new"),
            ("PractitionerRole", "specialty=207RC0000X&location.address-city=hart"),
            ("PractitionerRole", "practitioner.name=smith"),
            ("PractitionerRole", "location.organization.name=yale"),
            ("PractitionerRole", "practitioner:identifier=http://hl7.org/fhir/sid/us-npi%7C1230081110"),
            ("Practitioner", "_has:PractitionerRole:practitioner:specialty=207RC0000X"),
            ("Location", "_has:PractitionerRole:location:specialty=207RC0000X"),
            ("Organization", "_has:OrganizationAffiliation:participating-organization:network=Organization/x"),
            ("HealthcareService", "location.address-postalcode=06103"),
        ]
        for (type, query) in queries {
            let request = try parser.parse(
                resourceType: type, parameters: FormDecoderForTests.pairs(query), lenient: false)
            let plan = try index.explain(request)
            let scans = plan.filter { $0.hasPrefix("SCAN") && !$0.contains("USING") }
            #expect(scans.isEmpty, "\(type)?\(query): \(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(type)?\(query): \(plan)")
            // Selective clauses lead: the type's rows are looked up, not walked.
            #expect(!plan.contains { $0.contains("rowid>? AND rowid<?") }, "\(type)?\(query): \(plan)")
        }
    }
}

/// Splits a test query string into decoded pairs, as the server's form decoder would.
enum FormDecoderForTests {
    static func pairs(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).removingPercentEncoding ?? String($0)
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }
}
