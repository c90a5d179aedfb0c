namespace CcmPlatform.CarePlans.Apis;

public static class CarePlansApi
{
    public static IEndpointRouteBuilder MapCarePlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/careplans").WithTags("CarePlans");
        return app;
    }
}
