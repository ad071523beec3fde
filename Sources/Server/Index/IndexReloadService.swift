import Logging
import ServiceLifecycle

/// Polls the served index file and swaps in a rebuilt one, so a refresh job only has to run
/// `plandir index --output` over the served path.
struct IndexReloadService: Service {
    let holder: IndexHolder
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // Woken by a graceful shutdown, so SIGTERM never waits out an interval.
            guard (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: interval) })) != nil else {
                return
            }
            do {
                if try holder.reloadIfChanged() {
                    let index = holder.current.index
                    logger.info("index reloaded", metadata: ["path": "\(index.path)", "version": "\(index.version)"])
                }
            } catch {
                logger.warning(
                    "index changed but cannot be opened; still serving the old one", metadata: ["error": "\(error)"])
            }
        }
    }
}
