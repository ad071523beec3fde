import SearchParameters
import Testing

@Suite struct QueryParserTests {
    let parser = SearchQueryParser(registry: try! SearchParameterRegistry.bundled())

    func parse(_ type: String, _ pairs: [(String, String)], lenient: Bool = false) throws(SearchError) -> SearchRequest
    {
        try parser.parse(resourceType: type, parameters: pairs.map { (name: $0.0, value: $0.1) }, lenient: lenient)
    }

    func error(_ type: String, _ pairs: [(String, String)]) -> SearchError? {
        do {
            _ = try parse(type, pairs)
            return nil
        } catch {
            return error
        }
    }

    @Test func tokenFormsMatchTheIndexForms() throws {
        let request = try parse(
            "PractitionerRole", [("specialty", "http://nucc.org/provider-taxonomy|207Q00000X,|x,sys|,plain")])
        #expect(
            request.clauses[0].condition
                == .token(["http://nucc.org/provider-taxonomy|207Q00000X", "|x", "sys|", "plain"], negated: false))
    }

    @Test func escapedCommasDoNotSplit() throws {
        let request = try parse("Organization", [("name", #"Smith\, Jones,Other"#)])
        #expect(request.clauses[0].condition == .string(["smith, jones", "other"], .prefix))
    }

    @Test func stringsAreFoldedExceptExact() throws {
        #expect(try parse("Practitioner", [("name", "MÜLLER")]).clauses[0].condition == .string(["muller"], .prefix))
        #expect(
            try parse("Practitioner", [("name:exact", "Müller")]).clauses[0].condition == .string(["Müller"], .exact))
        #expect(
            try parse("Practitioner", [("name:contains", "ÜLL")]).clauses[0].condition == .string(["ull"], .contains))
    }

    @Test func referencesTakeTypedAndBareIDs() throws {
        let typed = try parse("PractitionerRole", [("practitioner", "Practitioner/p1")])
        #expect(typed.clauses[0].condition == .reference([(type: "Practitioner", id: "p1")]))
        let bare = try parse("PractitionerRole", [("practitioner", "p1")])
        #expect(bare.clauses[0].condition == .reference([(type: "Practitioner", id: "p1")]))
        let modified = try parse("PractitionerRole", [("location:Location", "l1")])
        #expect(modified.clauses[0].condition == .reference([(type: "Location", id: "l1")]))
    }

    @Test func datePrefixesParse() throws {
        let request = try parse("PractitionerRole", [("period", "ge2020-01-01,eb2021")])
        guard case .date(let values) = request.clauses[0].condition else {
            Issue.record("not a date clause")
            return
        }
        #expect(values.map(\.0) == [.ge, .eb])
    }

    @Test func repeatedParametersAreAndedAndControlsApply() throws {
        let request = try parse(
            "Practitioner",
            [("name", "a"), ("name", "b"), ("_count", "5000"), ("_sort", "-_lastUpdated"), ("_total", "accurate")])
        #expect(request.clauses.count == 2)
        #expect(request.count == SearchRequest.maximumCount)
        #expect(request.sort == .lastUpdated && request.descending)
        #expect(request.wantsTotal)
    }

    @Test func lenientHandlingDropsUnknownParametersFromLinks() throws {
        let request = try parse("Practitioner", [("foo", "1"), ("name", "a")], lenient: true)
        #expect(request.linkParameters.map(\.name) == ["name"])
    }

    @Test(arguments: [
        ("foo", "1", "foo"), ("name:fuzzy", "x", "name:fuzzy"), ("_count", "abc", "_count"), ("_count", "-1", "_count"),
        ("_lastUpdated", "2020-13-01", "_lastUpdated"), ("_lastUpdated", "xx2020", "_lastUpdated"),
        ("_sort", "name", "_sort"), ("_summary", "maybe", "_summary"), ("_cursor", "garbage!", "_cursor"),
        ("name.family", "x", "name.family"), ("_include", "Practitioner:x", "_include"),
    ])
    func badRequestsNameTheParameterAndValue(name: String, value: String, expected: String) {
        let failure = error("Practitioner", [(name, value)])
        #expect(failure?.parameter == expected)
        #expect(failure?.description.contains(value) == true)
    }

    @Test func xmlIsNotAcceptable() {
        #expect(error("Practitioner", [("_format", "xml")])?.kind == .notAcceptable)
    }

    @Test func cursorsRoundTrip() throws {
        let cursor = PageCursor(direction: .before, id: "abc-1.2", lastUpdated: 1_700_000_000_000)
        #expect(PageCursor(token: cursor.token) == cursor)
        #expect(PageCursor(token: "%%%") == nil)
    }
}
