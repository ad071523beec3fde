import Foundation
import Testing

@testable import Server

/// The admission gate in front of the index: permits first, then a bounded, timed queue.
@Suite struct ReadGateTests {
    @Test func waitersAreServedInTurnWhenAPermitFrees() async throws {
        let gate = ReadGate(permits: 1, queueLength: 2, maximumWait: .seconds(30))
        try await gate.acquire()
        let order = OrderLog()
        async let first: Void = {
            try await gate.acquire(); await order.append(1); gate.release()
        }()
        try await waitUntil { gate.waiting == 1 }
        async let second: Void = {
            try await gate.acquire(); await order.append(2); gate.release()
        }()
        try await waitUntil { gate.waiting == 2 }
        gate.release()
        _ = try await (first, second)
        #expect(await order.values == [1, 2])
        #expect(gate.waiting == 0)
    }

    @Test func aFullQueueTurnsRequestsAwayAtOnce() async throws {
        let gate = ReadGate(permits: 1, queueLength: 1, maximumWait: .seconds(30))
        try await gate.acquire()
        let waiter = Task { try await gate.acquire() }
        try await waitUntil { gate.waiting == 1 }
        await #expect {
            try await gate.acquire()
        } throws: { ($0 as? ReadGate.Full)?.waited == false }
        gate.release()
        try await waiter.value
        gate.release()
    }

    @Test func aWaiterGivesUpAfterTheMaximumWait() async throws {
        let gate = ReadGate(permits: 1, queueLength: 4, maximumWait: .milliseconds(50))
        try await gate.acquire()
        await #expect {
            try await gate.acquire()
        } throws: { ($0 as? ReadGate.Full)?.waited == true }
        #expect(gate.waiting == 0)
        gate.release()
        // The permit came back: the next request gets it without waiting.
        try await gate.acquire()
        gate.release()
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        #expect(condition())
    }

    actor OrderLog {
        var values: [Int] = []
        func append(_ value: Int) { values.append(value) }
    }
}
