import FHIRCore
import Hummingbird
import Logging

/// Makes every failure a FHIR OperationOutcome: router 404s, unexpected errors (as 500s,
/// logged), and anything else that escapes a handler.
struct FHIRErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as FHIRError {
            throw error
        } catch let error as HTTPResponseError {
            if error.status == .notFound {
                throw FHIRError.notFound("no route for \(request.uri.path)")
            }
            if error.status == .methodNotAllowed { throw FHIRError.methodNotAllowed(request) }
            throw FHIRError(error.status, code: "invalid", "\(error.status.reasonPhrase)")
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw FHIRError(.internalServerError, code: "exception", "internal error")
        }
    }
}
