using CcmPlatform.Scheduling.Data;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;

namespace CcmPlatform.Scheduling.Apis;

public static class SchedulingApi
{
    public static IEndpointRouteBuilder MapSchedulingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling").WithTags("Scheduling").RequirePracticeScope<SchedulingPracticeDirectory>();
        api.RequireRequestLimits();
        api.MapTimeEntriesApi();
        api.MapTimersApi();
        api.MapWorklistApi();
        api.MapAppointmentsApi();
        return app;
    }
}
