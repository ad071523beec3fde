import FHIRCore
import Foundation
import SearchParameters
import Testing

/// Where the IG packages are unpacked, beside the checkout.
enum Shared {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    static let planNet = root.appendingPathComponent("fhir/hl7.fhir.us.davinci-pdex-plan-net-1.1.0")
    static let planNet12 = root.appendingPathComponent("fhir/hl7.fhir.us.davinci-pdex-plan-net-1.2.0-conformance")

    /// Tests that read the IG packages run only where they are unpacked.
    static let isPresent = FileManager.default.fileExists(atPath: root.path)

    static func json(_ url: URL) throws -> JSONValue { try JSONParser.parse([UInt8](Data(contentsOf: url))) }
}

@Suite(.enabled(if: Shared.isPresent, "needs ../shared beside the checkout")) struct RegistryTests {
    let registry: SearchParameterRegistry

    init() throws { registry = try SearchParameterRegistry.bundled() }

    @Test func coversEveryParameterOfThePlanNetCapabilityStatement() throws {
        let statement = try Shared.json(Shared.planNet.appendingPathComponent("CapabilityStatement-plan-net.json"))
        var checked = 0
        for resource in statement["rest"]!.asList[0]["resource"]!.asList {
            let type = resource["type"]!.stringValue!
            for param in resource["searchParam"]?.asList ?? [] {
                let name = param["name"]!.stringValue!
                let parameter = try #require(registry.parameter(type, name), "\(type).\(name)")
                #expect(parameter.url == param["definition"]!.stringValue!)
                #expect(parameter.type.rawValue == param["type"]!.stringValue!)
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    @Test func addsThePeriodParametersOfPlanNet12() {
        for type in ["Organization", "Practitioner", "PractitionerRole", "OrganizationAffiliation"] {
            #expect(registry.parameter(type, "period")?.type == .date, "\(type).period")
        }
    }

    @Test func bundledDefinitionsAreTheIGsOwn() throws {
        for parameter in registry.all where parameter.url.contains("davinci-pdex-plan-net") {
            let file = "SearchParameter-\(parameter.url.split(separator: "/").last!).json"
            let in11 = Shared.planNet.appendingPathComponent(file)
            let source =
                FileManager.default.fileExists(atPath: in11.path) ? in11 : Shared.planNet12.appendingPathComponent(file)
            let definition = try Shared.json(source)
            #expect(definition["expression"]?.stringValue == parameter.expression.source, "\(file)")
            #expect(definition["code"]?.stringValue == parameter.code)
        }
    }

    @Test func bundledFormularyDefinitionsAreThePackagesOwn() throws {
        let folder = Shared.root.appendingPathComponent("fhir/hl7.fhir.us.davinci-drug-formulary-2.0.1")
        var compared = 0
        for parameter in registry.all where parameter.url.contains("davinci-drug-formulary/SearchParameter/") {
            let file = folder.appendingPathComponent(
                "SearchParameter-\(parameter.url.split(separator: "/").last!).json")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }  // STU 1.1 ones
            let definition = try Shared.json(file)
            #expect(definition["expression"]?.stringValue == parameter.expression.source, "\(file.lastPathComponent)")
            compared += 1
        }
        #expect(compared >= 15)
    }

    @Test func everyTypeHasIDAndLastUpdated() {
        #expect(
            registry.resourceTypes == [
                "Basic", "Endpoint", "HealthcareService", "InsurancePlan", "List", "Location", "MedicationKnowledge",
                "Organization", "OrganizationAffiliation", "Practitioner", "PractitionerRole",
            ])
        for type in registry.resourceTypes {
            #expect(registry.parameter(type, "_id")?.type == .token)
            #expect(registry.parameter(type, "_lastUpdated")?.type == .date)
        }
    }

    /// Every parameter of the formulary CapabilityStatement, SHALL and SHOULD, from the
    /// package's own definitions; InsurancePlan answers both IGs' parameters.
    @Test func coversEveryParameterOfTheFormularyCapabilityStatement() throws {
        let folder = Shared.root.appendingPathComponent("fhir/hl7.fhir.us.davinci-drug-formulary-2.0.1")
        let statement = try Shared.json(folder.appendingPathComponent("CapabilityStatement-usdf-server.json"))
        var checked = 0
        for resource in statement["rest"]?.asList.first?["resource"]?.asList ?? [] {
            let type = resource["type"]!.stringValue!
            for entry in resource["searchParam"]?.asList ?? [] {
                let code = entry["name"]!.stringValue!
                let parameter = try #require(registry.parameter(type, code), "\(type).\(code)")
                checked += 1
                if code.hasPrefix("_") { continue }
                let definition = entry["definition"]!.stringValue!
                if definition.contains("davinci-drug-formulary"), parameter.url != definition {
                    // Shared with Plan-Net, which wins: the same element, at least as broad.
                    #expect(parameter.url.contains("davinci-pdex-plan-net"), "\(type).\(code)")
                    let theirs = try Shared.json(
                        folder.appendingPathComponent("SearchParameter-\(definition.split(separator: "/").last!).json"))
                    #expect(parameter.type.rawValue == theirs["type"]?.stringValue)
                    let path = theirs["expression"]!.stringValue!
                    #expect(parameter.expression.source.contains(path.replacingOccurrences(of: "\(type).", with: "")))
                }
            }
        }
        #expect(checked >= 30)
        for code in ["DrugName", "DrugTier", "DrugPlan", "code", "_id"] {
            #expect(registry.parameter("MedicationKnowledge", code) != nil, "STU1 \(code)")
        }
        for code in ["identifier", "item", "status", "code"] {
            #expect(registry.parameter("List", code) != nil, "STU1 List \(code)")
        }
        #expect(registry.parameter("Basic", "subject")?.chains.contains("drug-name") == true)
    }

    @Test func pidsAreDenseAndUnique() {
        #expect(registry.all.map(\.pid) == Array(1...registry.all.count))
    }
}

@Suite struct PathExpressionTests {
    let resource = try! JSONParser.parse(
        """
        {"resourceType":"PractitionerRole","name":"n","alias":["a1","a2"],
         "extension":[{"url":"http://x/network-reference","valueReference":{"reference":"Organization/n1"}},
                      {"url":"other","valueString":"no"},
                      {"url":"http://x/delivery","extension":[{"url":"type","valueCodeableConcept":{"text":"virtual"}}]}],
         "plan":[{"type":{"text":"gold"}},{"type":{"text":"bronze"}}]}
        """)

    @Test func evaluatesPathsUnionsAndWhere() throws {
        let union = try PathExpression("name | alias", resourceType: "PractitionerRole")
        #expect(union.evaluate(resource) == [.string("n"), .string("a1"), .string("a2")])
        let nested = try PathExpression("PractitionerRole.plan.type", resourceType: "PractitionerRole")
        #expect(nested.evaluate(resource).count == 2)
        let ext = try PathExpression(
            "PractitionerRole.extension.where(url='http://x/network-reference')", resourceType: "PractitionerRole")
        #expect(ext.evaluate(resource).count == 1)
        let value = try PathExpression(
            "PractitionerRole.extension.where(url='http://x/network-reference').value", resourceType: "PractitionerRole"
        )
        #expect(value.evaluate(resource) == [.object(JSONObject([("reference", .string("Organization/n1"))]))])
        let typed = try PathExpression(
            "PractitionerRole.extension.where(url='http://x/delivery').extension.where(url='type').value as CodeableConcept",
            resourceType: "PractitionerRole")
        #expect(typed.evaluate(resource) == [.object(JSONObject([("text", .string("virtual"))]))])
    }

    @Test func refusesWhatItCannotEvaluate() {
        #expect(throws: PathExpression.ParseError.self) { try PathExpression("a.resolve()", resourceType: "X") }
        #expect(throws: PathExpression.ParseError.self) { try PathExpression("a.where(b > 1)", resourceType: "X") }
        #expect(throws: PathExpression.ParseError.self) { try PathExpression("(a | b", resourceType: "X") }
    }
}
