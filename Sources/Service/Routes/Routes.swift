import HTTPServer

/// Every route of the service, registered in one place so that the list matches openapi.yaml.
enum Routes {
    static func router(context: ServiceContext) -> Router {
        var router = Router()
        HealthRoutes.register(on: &router, context: context)
        MetricsRoutes.register(on: &router, context: context)
        StatusRoutes.register(on: &router, context: context)
        IngestRoutes.register(on: &router, context: context)
        RunRoutes.register(on: &router, context: context)
        KPIRoutes.register(on: &router, context: context)
        FeatureRoutes.register(on: &router, context: context)
        InactivityRoutes.register(on: &router, context: context)
        CompatibilityRoutes.register(on: &router, context: context)
        AbilityRoutes.register(on: &router, context: context)
        ItemRoutes.register(on: &router, context: context)
        ReportRoutes.register(on: &router, context: context)
        return router
    }
}
