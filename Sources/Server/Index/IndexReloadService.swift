import Dispatch
import Foundation
import Logging
import ServiceLifecycle

/// Swaps in a rebuilt index: polls the served file every `interval` and reloads at once on
/// SIGHUP, so a refresh job only has to rename a new build over the served path (and may
/// signal). Validation runs on a thread of its own: `quick_check` reads the whole file.
struct IndexReloadService: Service {
    let holder: IndexHolder
    /// Nil: only on SIGHUP.
    let interval: Duration?
    let structure: Bool
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        defer {
            source.cancel()
            continuation.finish()
        }
        // Woken by a graceful shutdown, so SIGTERM never waits out an interval.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in signals { await reload() }
                }
                if let interval {
                    group.addTask {
                        while (try? await Task.sleep(for: interval)) != nil { await reload() }
                    }
                }
                await group.waitForAll()
            }
        }
    }

    func reload() async {
        let holder = self.holder
        let structure = self.structure
        let outcome = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: holder.reload(structure: structure)) }
        }
        switch outcome {
        case .unchanged: return
        case .swapped(let version):
            metrics.indexSwap(refused: false)
            logger.info(
                "index swapped", metadata: ["path": "\(holder.current.index.path)", "version": "\(version)"])
        case .refused(let reason):
            metrics.indexSwap(refused: true)
            logger.error(
                "new index file refused; still serving the old one",
                metadata: ["path": "\(holder.current.index.path)", "reason": "\(reason)"])
        }
    }
}
