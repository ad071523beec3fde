import CoreMetrics
import FHIRCore
import Foundation
import Metrics
import Prometheus
import SearchParameters
import Synchronization

/// The server's metrics, recorded through swift-metrics into one Prometheus registry that
/// `GET /metrics` renders. Each app gets its own registry, so tests stay independent.
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let timers = Mutex<[String: CoreMetrics.Timer]>([:])
    let cacheHits: CoreMetrics.Counter
    let cacheMisses: CoreMetrics.Counter
    let cacheBytes: CoreMetrics.Gauge
    let cacheEntries: CoreMetrics.Gauge
    let indexAge: CoreMetrics.Gauge
    let indexBuilt: CoreMetrics.Gauge

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        cacheHits = CoreMetrics.Counter(label: "plandir_cache_hits_total", factory: factory)
        cacheMisses = CoreMetrics.Counter(label: "plandir_cache_misses_total", factory: factory)
        cacheBytes = CoreMetrics.Gauge(label: "plandir_cache_bytes", factory: factory)
        cacheEntries = CoreMetrics.Gauge(label: "plandir_cache_entries", factory: factory)
        indexAge = CoreMetrics.Gauge(label: "plandir_index_age_seconds", factory: factory)
        indexBuilt = CoreMetrics.Gauge(label: "plandir_index_built_timestamp_seconds", factory: factory)
    }

    /// One finished request: counted by route, type and status, timed by route.
    func request(route: String, type: String, status: Int, duration: Duration) {
        let key = "\(route)|\(type)|\(status)"
        let counter = counters.withLock { counters in
            if let existing = counters[key] { return existing }
            let made = CoreMetrics.Counter(
                label: "plandir_http_requests_total",
                dimensions: [("route", route), ("type", type), ("status", String(status))], factory: factory)
            counters[key] = made
            return made
        }
        counter.increment()
        let timer = timers.withLock { timers in
            if let existing = timers[route] { return existing }
            let made = CoreMetrics.Timer(
                label: "plandir_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            timers[route] = made
            return made
        }
        timer.recordNanoseconds(duration.nanoseconds)
    }

    /// A request refused for being over one of the search limits.
    func limitRejected(_ limit: SearchLimits.Name) {
        let counter = counters.withLock { counters in
            let key = "limit|\(limit.rawValue)"
            if let existing = counters[key] { return existing }
            let made = CoreMetrics.Counter(
                label: "plandir_limit_rejections_total", dimensions: [("limit", limit.rawValue)], factory: factory)
            counters[key] = made
            return made
        }
        counter.increment()
    }

    /// A rebuilt index swapped in, or refused.
    func indexSwap(refused: Bool) {
        let result = refused ? "refused" : "swapped"
        let counter = counters.withLock { counters in
            let key = "swap|\(result)"
            if let existing = counters[key] { return existing }
            let made = CoreMetrics.Counter(
                label: "plandir_index_swaps_total", dimensions: [("result", result)], factory: factory)
            counters[key] = made
            return made
        }
        counter.increment()
    }

    /// The Prometheus text, with the index and cache gauges brought up to date first.
    func render(index: IndexHolder.Snapshot, cache: ResponseCache.Stats) -> [UInt8] {
        let now = Date().timeIntervalSince1970
        indexAge.record(max(0, now - Double(index.builtAtMillis) / 1000))
        indexBuilt.record(Double(index.builtAtMillis) / 1000)
        cacheBytes.record(Double(cache.bytes))
        cacheEntries.record(Double(cache.entries))
        var text = registry.emitToBuffer()
        // The version is a label, so it is written directly rather than kept as a metric per version.
        let version = index.index.version.filter { $0.isNumber || $0 == "-" }
        text += Array("# TYPE plandir_index_info gauge\nplandir_index_info{version=\"\(version)\"} 1\n".utf8)
        return text
    }
}
