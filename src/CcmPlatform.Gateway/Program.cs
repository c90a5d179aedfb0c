using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using Scalar.AspNetCore;

namespace CcmPlatform.Gateway;

public class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddCcmAuthentication();
        builder.Services.AddCcmProblemDetails();
        builder.AddGatewayServices();

        var app = builder.Build();
        app.UseCcmProblemDetails();
        app.UseGatewayPipeline();
        app.MapDefaultEndpoints();
        app.MapAggregatedOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("CcmPlatform API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        app.MapReverseProxy();
        app.Run();
    }
}
