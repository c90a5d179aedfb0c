using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.Infrastructure.Http;

public static class ProblemDetailsSetup
{
    /// <summary>
    /// Every error leaves as ProblemDetails: rule violations with their field and rule, malformed
    /// JSON as 400 naming what failed to bind, empty 401/403/404 bodies filled by status code pages.
    /// </summary>
    public static IServiceCollection AddCcmProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<RuleViolationHandler>();

        // Without this, outside Development a body that fails to bind gets a bare 400 with no
        // problem body; thrown, it reaches the handler below, which names the JSON path.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseCcmProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException b => b.StatusCode,
                JsonException => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        return app;
    }

    private sealed class RuleViolationHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, field, rule, detail) = exception switch
            {
                RuleViolationException r => (r.Status, r.Field, r.Rule, r.Message),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } b => (b.StatusCode, "body", RequestLimits.BodyTooLargeRule, b.Message),
                BadHttpRequestException b => (b.StatusCode, FieldOf(b), "MALFORMED_REQUEST", b.InnerException?.Message ?? b.Message),
                JsonException j => (StatusCodes.Status400BadRequest, j.Path ?? "body", "MALFORMED_REQUEST", j.Message),
                _ => (0, "", "", ""),
            };
            if (status == 0)
            {
                return false;
            }

            httpContext.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = status,
                    Title = status switch
                    {
                        StatusCodes.Status400BadRequest => "The request is malformed.",
                        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                        _ => "The request breaks a rule.",
                    },
                    Detail = detail,
                    Extensions =
                    {
                        ["rule"] = rule,
                        ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
                    },
                },
            });
        }

        private static string FieldOf(BadHttpRequestException b) => b.InnerException switch
        {
            JsonException { Path: { Length: > 0 } path } => path.TrimStart('$', '.') is { Length: > 0 } field ? field : "body",
            _ => "body",
        };
    }
}
