namespace CcmPlatform.Scheduling.Apis;

public static class SchedulingApi
{
    public static IEndpointRouteBuilder MapSchedulingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling").WithTags("Scheduling");
        return app;
    }
}
