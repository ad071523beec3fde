import NIOCore

/// Closes a connection whose response has made no progress for `timeout`: the client stopped
/// reading.
///
/// Hummingbird's idle timer runs only between requests, so a client that asks for a large
/// page and never reads it would hold its connection, and the unsent body, for ever. NIO marks
/// a channel unwritable when more than its high watermark waits to be sent; if it does not
/// become writable again within the timeout, the connection is closed and the body freed.
final class WriteTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    // Reads and writes pass through untouched (the default forwarding), so their types do not
    // matter here.
    typealias InboundIn = Any
    typealias OutboundIn = Any

    let timeout: TimeAmount
    private var stalled: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stalled?.cancel()
            stalled = nil
        } else if stalled == nil {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            stalled = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
        }
        context.fireChannelWritabilityChanged()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stalled?.cancel()
        stalled = nil
    }
}
