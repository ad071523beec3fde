import SearchParameters
import Testing

/// Each limit: a request just under it parses, one just over it is refused naming the limit.
@Suite struct SearchLimitsTests {
    let parser = SearchQueryParser(registry: try! SearchParameterRegistry.bundled())

    func outcome(_ type: String, _ pairs: [(String, String)], limits: SearchLimits = SearchLimits()) -> SearchError? {
        var parser = self.parser
        parser.limits = limits
        do {
            _ = try parser.parse(
                resourceType: type, parameters: pairs.map { (name: $0.0, value: $0.1) }, lenient: false)
            return nil
        } catch {
            return error
        }
    }

    static func list(_ n: Int, _ make: (Int) -> String) -> String { (0..<n).map(make).joined(separator: ",") }

    @Test func orValues() {
        #expect(outcome("Practitioner", [("_id", Self.list(100) { "p\($0)" })]) == nil)
        let over = outcome("Practitioner", [("_id", Self.list(101) { "p\($0)" })])
        #expect(over?.limit == .orValues && over?.parameter == "_id")
        #expect(over?.message.contains("at most 100") == true)
    }

    @Test func repeatsOfOneParameter() {
        #expect(outcome("Practitioner", Array(repeating: ("name", "ab"), count: 10)) == nil)
        #expect(outcome("Practitioner", Array(repeating: ("name", "ab"), count: 11))?.limit == .repeats)
    }

    @Test func parametersInARequest() {
        let names = ["name", "family", "given", "identifier", "_id", "_content"]
        let fifty = (0..<50).map { (names[$0 % names.count], "ab") }
        #expect(outcome("Practitioner", fifty) == nil)
        #expect(outcome("Practitioner", fifty + [("name", "ab")])?.limit == .parameters)
    }

    @Test func includeValues() {
        let ten = Array(repeating: ("_include", "PractitionerRole:location"), count: 10)
        #expect(outcome("PractitionerRole", ten) == nil)
        let over = outcome("PractitionerRole", ten + [("_revinclude", "Endpoint:organization")])
        #expect(over?.limit == .includes && over?.parameter == "_revinclude")
    }

    @Test func contentWords() {
        #expect(outcome("Practitioner", [("_content", "aa bb cc dd ee ff gg hh")]) == nil)
        #expect(outcome("Practitioner", [("_content", "aa bb cc dd ee ff gg hh ii")])?.limit == .contentTerms)
        #expect(outcome("Practitioner", [("_content", "cardio x")])?.limit == .contentTermLength)
    }

    @Test func containsLength() {
        #expect(outcome("Organization", [("name:contains", "fam")]) == nil)
        let over = outcome("Organization", [("name:contains", "fa")])
        #expect(over?.limit == .containsLength && over?.value == "fa")
        // Every value of the OR list must be long enough.
        #expect(outcome("Organization", [("name:contains", "abc,xy")])?.limit == .containsLength)
    }

    @Test func chainLinks() {
        // Declared chains are one link deep in the IGs; a second link is checked before the
        // declaration, so the limit is what answers.
        #expect(outcome("PractitionerRole", [("location.address-city", "hartford")]) == nil)
        var one = SearchLimits()
        one.chainLinks = 1
        #expect(outcome("PractitionerRole", [("location.address-city", "hartford")], limits: one) == nil)
        let over = outcome("PractitionerRole", [("location.organization.name", "acme")], limits: one)
        #expect(over?.limit == .chainLinks && over?.parameter == "organization.name")
        #expect(over?.message.contains("at most 1 links") == true)
        var none = SearchLimits()
        none.chainLinks = 0
        #expect(
            outcome("PractitionerRole", [("location.address-city", "hartford")], limits: none)?.limit == .chainLinks)
    }

    @Test func hasNesting() {
        let one = "_has:PractitionerRole:location:specialty"
        #expect(outcome("Location", [(one, "207RC0000X")]) == nil)
        let nested = "_has:Location:organization:" + one
        let over = outcome("Organization", [(nested, "207RC0000X")])
        #expect(over?.limit == .hasNesting && over?.parameter == one)
        var two = SearchLimits()
        two.hasNesting = 2
        #expect(outcome("Organization", [(nested, "207RC0000X")], limits: two) == nil)
    }

    @Test func iterateDepth() {
        // Role → Location (first round) → Organization (one :iterate round).
        let one = [("_include", "PractitionerRole:location"), ("_include:iterate", "Location:organization")]
        #expect(outcome("PractitionerRole", one) == nil)
        // … → Endpoint: a second :iterate round.
        let two = one + [("_include:iterate", "Organization:endpoint")]
        let over = outcome("PractitionerRole", two)
        #expect(over?.limit == .iterateDepth && over?.value == "Organization:endpoint")
        var deeper = SearchLimits()
        deeper.iterateDepth = 2
        #expect(outcome("PractitionerRole", two, limits: deeper) == nil)
        // A self-reference reaches no new type: it is followed, `iterateDepth` rounds deep.
        #expect(outcome("Organization", [("_include:iterate", "Organization:partof")]) == nil)
        var none = SearchLimits()
        none.iterateDepth = 0
        #expect(outcome("PractitionerRole", one, limits: none)?.limit == .iterateDepth)
    }

    @Test func parsedRequestsCarryTheirLimits() throws {
        var parser = self.parser
        parser.limits.included = 7
        let request = try parser.parse(resourceType: "Practitioner", parameters: [], lenient: false)
        #expect(request.limits.included == 7)
    }

    @Test func limitsAreSettable() {
        var tight = SearchLimits()
        tight.orValues = 2
        #expect(outcome("Practitioner", [("_id", "a,b")], limits: tight) == nil)
        #expect(outcome("Practitioner", [("_id", "a,b,c")], limits: tight)?.limit == .orValues)
    }
}
