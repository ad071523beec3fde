import ArgumentParser

@main
struct Plandir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plandir",
        abstract: "A FHIR Plan-Net provider directory served from an immutable SQLite index.",
        subcommands: [
            IndexCommand.self, ServeCommand.self, DiffCommand.self, PublishCommand.self, GenerateCommand.self,
            OpenAPICommand.self, ImportCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}
