import ArgumentParser
import FHIRCore
import Foundation
import SearchParameters
import Server

struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.0.3 description of the FHIR API (also served at /fhir/openapi.json).")

    func run() throws {
        let document = OpenAPIBuilder.build(registry: try SearchParameterRegistry.bundled(), version: plandirVersion)
        FileHandle.standardOutput.write(Data(JSONBytes.pretty(JSONWriter.encode(document)) + [0x0A]))
    }
}
