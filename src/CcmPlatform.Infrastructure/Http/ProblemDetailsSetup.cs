using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CcmPlatform.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.Infrastructure.Http;

public static partial class ProblemDetailsSetup
{
    public const string MalformedRule = "MALFORMED_REQUEST";
    public const string NotFoundRule = "NOT_FOUND";
    public const string MethodNotAllowedRule = "METHOD_NOT_ALLOWED";
    public const string NotAcceptableRule = "NOT_ACCEPTABLE";
    public const string UnsupportedMediaTypeRule = "UNSUPPORTED_MEDIA_TYPE";
    public const string RateLimitedRule = "RATE_LIMITED";
    public const string UnexpectedErrorRule = "UNEXPECTED_ERROR";
    public const string ServiceUnavailableRule = "SERVICE_UNAVAILABLE";

    /// <summary>
    /// Every error leaves as ProblemDetails with a <c>rule</c>: rule violations with their field and rule,
    /// malformed JSON as 400 naming the JSON path and the JSON it expects, and the empty 401/403/404/405/415/429/5xx
    /// that routing, the rate limiter or a proxy answer with are filled by status code pages with a rule by status
    /// and a detail saying what to do.
    /// </summary>
    public static IServiceCollection AddCcmProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
            if (!ctx.ProblemDetails.Extensions.ContainsKey("rule"))
            {
                var (rule, detail) = ByStatus(ctx.HttpContext, ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode);
                ctx.ProblemDetails.Extensions["rule"] = rule;
                if (string.IsNullOrWhiteSpace(ctx.ProblemDetails.Detail))
                {
                    ctx.ProblemDetails.Detail = detail;
                }
            }
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

    /// <summary>The rule and advice for a problem nobody named a rule for: routing's, the rate limiter's, a proxy's.</summary>
    public static (string Rule, string Detail) ByStatus(HttpContext http, int status)
    {
        var method = http.Request.Method;
        var path = http.Request.Path.Value;
        return status switch
        {
            StatusCodes.Status400BadRequest => (MalformedRule, "The request could not be read; check it against the API reference at /docs."),
            StatusCodes.Status401Unauthorized => (ProblemAuthorizationResultHandler.AuthenticationRequiredRule, ProblemAuthorizationResultHandler.AuthenticationRequiredDetail),
            StatusCodes.Status403Forbidden => (ProblemAuthorizationResultHandler.RoleNotAllowedRule, "Your token is not allowed to do this; docs/roles.md lists what each role may do."),
            StatusCodes.Status404NotFound => (NotFoundRule, $"No route matches {method} {path}. Check the path against the API reference at /docs (ids in paths are UUIDs)."),
            StatusCodes.Status405MethodNotAllowed => (MethodNotAllowedRule, http.Response.Headers.Allow.ToString() is { Length: > 0 } allow
                ? $"{method} is not allowed on {path}; it accepts {allow}."
                : $"{method} is not allowed on {path}; the API reference at /docs lists the methods it accepts."),
            StatusCodes.Status406NotAcceptable => (NotAcceptableRule, "This route cannot answer in the media type named by Accept; accept application/json (problems come as application/problem+json)."),
            StatusCodes.Status413PayloadTooLarge => (RequestLimits.BodyTooLargeRule, $"The request body is too large; at most {RequestLimits.MaxBodyBytes / 1024} KiB on most routes."),
            StatusCodes.Status415UnsupportedMediaType => (UnsupportedMediaTypeRule, UnsupportedMediaTypeDetail(http)),
            StatusCodes.Status429TooManyRequests => (RateLimitedRule, "Too many requests from you this minute; wait a minute and retry."),
            StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout
                => (ServiceUnavailableRule, "The service behind this route did not answer; retry shortly. If it persists, quote traceId to the operators."),
            >= 500 => (UnexpectedErrorRule, "The server failed to handle the request; retry later, and quote traceId when reporting it."),
            _ => ($"HTTP_{status}", $"The request was refused with status {status}; see the API reference at /docs."),
        };
    }

    private static string UnsupportedMediaTypeDetail(HttpContext http)
        => http.Request.ContentType is { Length: > 0 } sent
            ? $"Content-Type '{sent}' is not accepted here: send the body as JSON with 'Content-Type: application/json'."
            : "This route takes a JSON body: send it with 'Content-Type: application/json'.";

    /// <summary>
    /// What a 400 for an unbindable request says: the field (JSON path, or the parameter's name) and the JSON it
    /// takes, never the .NET type that failed to bind.
    /// </summary>
    public static (string Field, string Detail) ExplainBadRequest(Exception exception, Endpoint? endpoint)
    {
        if (exception is JsonException direct)
        {
            return ExplainJson(direct, BodyType(endpoint));
        }

        if (exception.InnerException is JsonException json)
        {
            return ExplainJson(json, BodyType(endpoint));
        }

        var message = exception.Message;
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return ("body", "A JSON body is required: send it with 'Content-Type: application/json'.");
        }

        var parameter = ParameterInMessage().Match(message);
        if (!parameter.Success)
        {
            return ("body", "The request could not be read; check it against the API reference at /docs.");
        }

        var name = parameter.Groups["name"].Value;
        var type = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;
        var isBody = type is not null && type == BodyType(endpoint);
        if (message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return isBody ? ("body", "A JSON body is required: send it with 'Content-Type: application/json'.") : (name, $"{name} is required.");
        }

        if (message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            var value = BoundValue().Match(message) is { Success: true } v ? $" '{v.Groups["value"].Value}'" : "";
            return (name, type is null ? $"{name}{value} could not be read." : $"{name}{value} is not {JsonBodies.Describe(type)}.");
        }

        return isBody ? ("body", "The body is not valid JSON.") : (name, $"{name} could not be read.");
    }

    private static (string Field, string Detail) ExplainJson(JsonException json, Type? bodyType)
    {
        var field = json.Path?.TrimStart('$', '.') is { Length: > 0 } p ? p : "body";
        var location = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        if (json.InnerException is JsonException reader)
        {
            // The reader's own message describes the syntax error; it names no .NET type.
            return (field, $"The body is not valid JSON{(field == "body" ? "" : $" at {field}")}{location}: {WithoutPosition(reader.Message)}");
        }

        var missing = MissingProperties().Match(json.Message);
        if (missing.Success)
        {
            var names = missing.Groups["names"].Value.Trim().TrimEnd('.');
            return (names.Split(',', StringSplitOptions.TrimEntries)[0] is { Length: > 0 } first ? first : field, $"Required: {names}.");
        }

        if (JsonBodies.ExpectedAt(bodyType, json.Path) is { } expected)
        {
            return (field, field == "body" ? $"The body must be {expected}." : $"{field} must be {expected}.");
        }

        return (field, NamesNoType(json.Message) ? WithoutPosition(json.Message) : $"{field} has a value of the wrong JSON type; see the schema in the API reference at /docs.");
    }

    private static Type? BodyType(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    private static bool NamesNoType(string message)
        => !message.Contains("could not be converted", StringComparison.Ordinal) && !message.Contains("for type '", StringComparison.Ordinal)
           && !message.Contains("System.", StringComparison.Ordinal) && !message.Contains("CcmPlatform.", StringComparison.Ordinal);

    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal) is var i and >= 0 ? i : message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }

    // RequestDelegateFactory names a parameter as "Type name"; the name is kept, the type is not shown.
    [GeneratedRegex("parameter \"(?<type>.+) (?<name>[^\" ]+)\"")]
    private static partial Regex ParameterInMessage();

    [GeneratedRegex("\" from \"(?<value>.*)\"\\.?$")]
    private static partial Regex BoundValue();

    [GeneratedRegex("missing required properties,? including the following: (?<names>.+)$")]
    private static partial Regex MissingProperties();

    private sealed class RuleViolationHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var (status, field, rule, detail) = exception switch
            {
                RuleViolationException r => (r.Status, r.Field, r.Rule, r.Message),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } b => (b.StatusCode, "body", RequestLimits.BodyTooLargeRule, b.Message),
                BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } b => (b.StatusCode, "Content-Type", UnsupportedMediaTypeRule, UnsupportedMediaTypeDetail(httpContext)),
                BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } or JsonException => Malformed(exception, endpoint),
                BadHttpRequestException b => (b.StatusCode, "request", ByStatus(httpContext, b.StatusCode).Rule, ByStatus(httpContext, b.StatusCode).Detail),
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
                        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type.",
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

        private static (int, string, string, string) Malformed(Exception exception, Endpoint? endpoint)
        {
            var (field, detail) = ExplainBadRequest(exception, endpoint);
            return (StatusCodes.Status400BadRequest, field, MalformedRule, detail);
        }
    }
}
