using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Yarp.ReverseProxy.Configuration;

namespace CcmPlatform.Gateway;

/// <summary>
/// The one public entry point: a route per service, resolved through Aspire service discovery
/// ("http://patients"), authenticated here and again in each service.
/// </summary>
public static class GatewayRoutes
{
    public static readonly IReadOnlyList<string> Services = ["patients", "careplans", "medications", "scheduling", "billing"];
    public const string RequestIdHeader = "X-Request-Id";
    public const string CorsPolicy = "front-ends";
    public const string RateLimitPolicy = "per-user";

    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        var routes = Services.Select(s => new RouteConfig
        {
            RouteId = s,
            ClusterId = s,
            Match = new RouteMatch { Path = $"/api/{s}/{{**rest}}" },
            AuthorizationPolicy = "default",
            RateLimiterPolicy = RateLimitPolicy,
            CorsPolicy = CorsPolicy,
        }).ToList();
        var clusters = Services.Select(s => new ClusterConfig
        {
            ClusterId = s,
            Destinations = new Dictionary<string, DestinationConfig> { [s] = new() { Address = $"http://{s}" } },
        }).ToList();

        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddServiceDiscoveryDestinationResolver();

        var origins = builder.Configuration.GetSection("Gateway:CorsOrigins").Get<string[]>() ?? ["http://localhost:3000", "http://localhost:5173"];
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, p => p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod()
            .WithExposedHeaders("ETag", "Location", RequestIdHeader, "Idempotent-Replayed")));

        var permitsPerMinute = builder.Configuration.GetValue("Gateway:RequestsPerMinute", 6000);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.User.FindFirst("sub")?.Value ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permitsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        builder.Services.AddHttpClient(OpenApiAggregator.ClientName);
        builder.Services.AddSingleton<OpenApiAggregator>();
        return builder;
    }

    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        // A request id travels to every service so a front-end bug report can be traced end to end.
        app.Use(async (ctx, next) =>
        {
            if (!ctx.Request.Headers.TryGetValue(RequestIdHeader, out var id) || string.IsNullOrWhiteSpace(id))
            {
                ctx.Request.Headers[RequestIdHeader] = ctx.TraceIdentifier;
            }

            ctx.Response.Headers[RequestIdHeader] = ctx.Request.Headers[RequestIdHeader].ToString();
            await next();
        });
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
