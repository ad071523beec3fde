import FHIRCore
import Testing

@testable import Conformance

@Suite struct ResourceCheckerTests {
    static let checker = try! ResourceChecker.bundled()

    func check(_ json: String, repair: Bool = false) throws -> (problems: [ResourceChecker.Problem], repaired: String?)
    {
        let value = try JSONParser.parse(Array(json.utf8))
        let type = value["resourceType"]?.stringValue ?? "Organization"
        let result = Self.checker.check(value, type: type, repair: repair)
        return (result.problems, result.repaired.map { String(decoding: JSONWriter.encode($0), as: UTF8.self) })
    }

    @Test func aValidResourceHasNoProblems() throws {
        let result = try check(
            #"""
            {"resourceType":"Practitioner","id":"p","meta":{"lastUpdated":"2024-01-01T00:00:00Z"},"active":true,
            "name":[{"family":"Ng","given":["A"],"_given":[{"extension":[{"url":"x","valueString":"y"}]}]}],
            "identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234567893"}],
            "qualification":[{"code":{"text":"MD"},"period":{"start":"2001"}}],
            "contained":[{"resourceType":"Location","id":"l","position":{"latitude":41.7,"longitude":-72.6}}]}
            """#)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.repaired == nil)
    }

    /// One fixture per kind of problem, with where it is and whether `--repair` fixes it.
    @Test(arguments: [
        (
            #"{"resourceType":"Organization","identifier":[{"value":426637}]}"#, ResourceChecker.Problem.Kind.wrongType,
            "Organization.identifier[0].value", true
        ),
        (#"{"resourceType":"Organization","active":"yes"}"#, .wrongType, "Organization.active", false),
        (#"{"resourceType":"Organization","alias":"One"}"#, .expectedArray, "Organization.alias", true),
        (
            #"{"resourceType":"Organization","partOf":[{"reference":"Organization/x"}]}"#, .expectedSingle,
            "Organization.partOf", false
        ),
        (#"{"resourceType":"Organization","colour":"red"}"#, .unknownElement, "Organization.colour", false),
        (
            #"{"resourceType":"Organization","meta":{"lastUpdated":"yesterday"}}"#, .invalidDate,
            "Organization.meta.lastUpdated", false
        ),
        (#"{"resourceType":"Organization","name":null}"#, .nullValue, "Organization.name", false),
        (
            #"{"resourceType":"Organization","contained":[{"id":"x"}]}"#, .resourceType, "Organization.contained[0]",
            false
        ),
        (
            #"{"resourceType":"Practitioner","qualification":[{"identifier":[{"value":7}],"code":{}}]}"#, .wrongType,
            "Practitioner.qualification[0].identifier[0].value", true
        ),
        (
            #"{"resourceType":"Organization","identifier":[{"use":" official"}]}"#, .codeWhitespace,
            "Organization.identifier[0].use", true
        ),
        (
            #"{"resourceType":"Organization","contained":[{"resourceType":"Location","id":"a b"}]}"#, .invalidID,
            "Organization.contained[0].id", false
        ),
    ])
    func eachKindIsFoundWhereItIs(json: String, kind: ResourceChecker.Problem.Kind, location: String, repairable: Bool)
        throws
    {
        let result = try check(json)
        #expect(result.problems.count == 1, "\(result.problems)")
        #expect(result.problems.first?.kind == kind)
        #expect(result.problems.first?.location == location)
        #expect(result.problems.first?.repairable == repairable)
        #expect(result.repaired == nil, "without repair nothing changes")
    }

    @Test func repairTrimsCodesAndKeepsTheirText() throws {
        let result = try check(
            #"{"resourceType":"Organization","telecom":[{"system":"phone ","value":" 555 "}]}"#, repair: true)
        #expect(result.problems.map(\.location) == ["Organization.telecom[0].system"])
        #expect(result.repaired == #"{"resourceType":"Organization","telecom":[{"system":"phone","value":" 555 "}]}"#)
    }

    @Test func repairFixesOnlyWhatIsUnambiguous() throws {
        let result = try check(
            #"{"resourceType":"Organization","identifier":[{"value":426637},{"value":true}],"alias":"One","active":"yes"}"#,
            repair: true)
        #expect(result.problems.count == 4)
        #expect(
            result.repaired
                == #"{"resourceType":"Organization","identifier":[{"value":"426637"},{"value":"true"}],"alias":["One"],"active":"yes"}"#
        )
        // A repaired resource checks clean but for what repair cannot fix.
        let again = try check(try #require(result.repaired))
        #expect(again.problems.map(\.location) == ["Organization.active"])
    }
}
