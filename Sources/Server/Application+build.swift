import FHIRCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Storage

/// The composition root, used by `plandir serve` and by the tests.
public func buildApplication(
    index: DirectoryIndex, configuration: ServerConfiguration, logger: Logger = Logger(label: "plandir")
) -> some ApplicationProtocol {
    buildApplication(
        holder: IndexHolder(index: index, linkGrace: configuration.linkGrace), configuration: configuration,
        logger: logger)
}

/// The composition root over a holder, whose index can be swapped while serving.
public func buildApplication(
    holder: IndexHolder, configuration: ServerConfiguration, logger: Logger = Logger(label: "plandir")
) -> some ApplicationProtocol {
    let metrics = ServerMetrics()
    let cache = ResponseCache(capacity: configuration.cacheBytes)
    let registry = holder.current.index.registry
    // HEAD is GET without the body, for every route: Hummingbird makes those endpoints.
    let router = Router(context: PlandirRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Router middleware also wraps the not-found responder, so it sees unmatched paths and
    // methods too (an OPTIONS preflight, a 404).
    router.add(middleware: HTTPConventionsMiddleware(metrics: metrics, registry: registry))
    router.get("health") { _, _ in "ok" }
    router.get("ready") { _, _ -> Response in
        guard await holder.current.index.isQueryable() else {
            throw FHIRError(.serviceUnavailable, code: "transient", "the index does not answer queries")
        }
        return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ready")))
    }
    router.get("metrics") { _, _ -> Response in
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        let text = metrics.render(index: holder.current, cache: cache.stats)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }
    DirectoryService(holder: holder, configuration: configuration, cache: cache, metrics: metrics).addRoutes(to: router)
    GeoRoutes(holder: holder, cacheMaxAge: configuration.cacheMaxAge).add(to: router)
    WebRoutes(files: WebFiles.bundled, cacheMaxAge: configuration.cacheMaxAge).add(to: router)
    let services: [any Service] = [
        IndexReloadService(
            holder: holder, interval: configuration.reloadInterval, structure: configuration.validateStructure,
            metrics: metrics, logger: logger)
    ]
    let idle = TimeAmount.nanoseconds(configuration.idleTimeout.nanoseconds)
    let http1 = HTTP1Channel.Configuration(
        // The same bound on a response the client stopped reading.
        additionalChannelHandlers: [WriteTimeoutHandler(timeout: idle)],
        idleTimeout: idle,
        httpDecoderConfiguration: .init(
            maxHeaderFieldSize: configuration.headerBytes, maxHeaderListSize: configuration.headerBytes,
            maxHeaderFieldCount: 100))
    return Application(
        router: router,
        server: .http1(configuration: http1),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "plandir",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
        services: services,
        logger: logger
    )
}
