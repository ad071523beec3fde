import Logging
import ServiceLifecycle
import Storage

/// Serves `index` until SIGTERM or SIGINT, then stops accepting connections and lets requests
/// in flight finish for up to `shutdownTimeout`: the whole of `plandir serve`, so the
/// executable needs neither Hummingbird nor ServiceLifecycle.
public func serve(
    index: DirectoryIndex, configuration: ServerConfiguration, shutdownTimeout: Duration, logger: Logger
) async throws {
    let app = buildApplication(
        holder: IndexHolder(index: index, linkGrace: configuration.linkGrace), configuration: configuration,
        logger: logger)
    var group = ServiceGroupConfiguration(
        services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    group.maximumGracefulShutdownDuration = shutdownTimeout
    try await ServiceGroup(configuration: group).run()
}
