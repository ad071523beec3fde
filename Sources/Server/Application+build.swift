import Hummingbird
import Logging
import Storage

/// The composition root, used by `plandir serve` and by the tests.
public func buildApplication(
    index: DirectoryIndex, configuration: ServerConfiguration, logger: Logger = Logger(label: "plandir")
) -> some ApplicationProtocol {
    let router = Router(context: PlandirRequestContext.self)
    router.add(middleware: FHIRErrorMiddleware())
    router.get("health") { _, _ in "ok" }
    DirectoryService(index: index, configuration: configuration).addRoutes(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "plandir"),
        logger: logger
    )
}
