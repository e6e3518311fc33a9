import HTTPServer

/// Every route of the service, registered in one place so that the list matches openapi.yaml.
enum Routes {
    static func router(context: ServiceContext) -> Router {
        var router = Router()
        HealthRoutes.register(on: &router, context: context)
        IngestRoutes.register(on: &router, context: context)
        return router
    }
}
