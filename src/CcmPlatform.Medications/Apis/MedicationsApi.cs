namespace CcmPlatform.Medications.Apis;

public static class MedicationsApi
{
    public static IEndpointRouteBuilder MapMedicationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/medications").WithTags("Medications");
        return app;
    }
}
