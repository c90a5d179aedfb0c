using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcmPlatform.Infrastructure.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CcmPlatform.Infrastructure.Hosting;

/// <summary>A problem status a route's handler can return, and when; read by the OpenAPI problem transformer.</summary>
public sealed record ProblemResponseMetadata(int StatusCode, string When);

/// <summary>The handler reads If-Match itself (optimistic concurrency); documented as a header parameter.</summary>
public sealed record IfMatchDocumentation(bool Required);

/// <summary>A body the handler reads itself (not bound, so invisible to the API explorer), documented for OpenAPI only.</summary>
public sealed record RequestBodyDocumentation(string MediaType, string Description);

/// <summary>
/// Every operation documents the problems it can answer with, derived here rather than per route:
/// 400 when it takes input, 401 unless anonymous, 403 when a policy applies, 404 when the route names
/// an id (practice scope also answers 404), 409/422 for a reused Idempotency-Key on POST, and what the
/// route declares with <see cref="ProducesProblemWhen{TBuilder}"/>. Bodies get the service's examples.
/// </summary>
public static class OpenApiDocumentation
{
    public const string ProblemMediaType = "application/problem+json";
    private const string ProblemSchemaId = "ProblemDetails";

    /// <summary>
    /// Declares that the route's handler returns <paramref name="statusCode"/> as ProblemDetails, with the
    /// situation that causes it. Handlers return ProblemHttpResult (or throw RuleViolationException),
    /// which carries no status the API explorer can see, so 409/412/422/428 are declared here.
    /// </summary>
    public static TBuilder ProducesProblemWhen<TBuilder>(this TBuilder builder, int statusCode, string when)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new ProblemResponseMetadata(statusCode, when));

    /// <summary>
    /// Documents a body the handler reads from the request stream. Unlike Accepts(), this adds no
    /// content-type matching, so the route's behaviour is unchanged.
    /// </summary>
    public static TBuilder DocumentsRequestBody<TBuilder>(this TBuilder builder, string mediaType, string description)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RequestBodyDocumentation(mediaType, description));

    /// <summary>Documents the If-Match header a handler checks against the resource's ETag.</summary>
    public static TBuilder DocumentsIfMatch<TBuilder>(this TBuilder builder, bool required)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new IfMatchDocumentation(required));

    /// <summary>OpenAPI for a service: title, problem responses derived from route metadata, and the service's examples.</summary>
    public static IServiceCollection AddCcmOpenApi(this IServiceCollection services, string serviceName, Assembly serviceAssembly)
    {
        var examples = OpenApiExampleSet.Merge(serviceAssembly);
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = $"CcmPlatform {serviceName}";
                return Task.CompletedTask;
            });
            o.AddEnumNameSchemas();
            o.AddOperationTransformer(AddProblemResponsesAsync);
            o.AddOperationTransformer((operation, context, _) =>
            {
                AddExamples(operation, context, examples);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    private static async Task AddProblemResponsesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var isPost = string.Equals(description.HttpMethod, HttpMethods.Post, StringComparison.OrdinalIgnoreCase);
        var problems = new SortedDictionary<int, List<string>>();
        void Add(int status, string when)
        {
            if (!problems.TryGetValue(status, out var list))
            {
                problems[status] = list = [];
            }

            if (!list.Contains(when))
            {
                list.Add(when);
            }
        }

        var takesInput = description.ParameterDescriptions.Any(p => p.Source != BindingSource.Services && p.Source != BindingSource.Special)
            || metadata.OfType<IAcceptsMetadata>().Any() || metadata.OfType<RequestBodyDocumentation>().Any();
        if (takesInput)
        {
            Add(StatusCodes.Status400BadRequest, "A parameter or the body is malformed: not JSON, a wrong type, or a value that cannot be parsed; `errors` names the field.");
        }

        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            Add(StatusCodes.Status401Unauthorized, "No bearer token, or the token is invalid or expired.");
            if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            {
                Add(StatusCodes.Status403Forbidden, "The caller's role is not admitted by this route's policy (docs/roles.md).");
            }
        }

        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path && p.Name.EndsWith("Id", StringComparison.Ordinal)))
        {
            Add(StatusCodes.Status404NotFound, "No record with that id, or it belongs to another practice (a practice-scoped caller gets 404, never 403).");
        }

        foreach (var declared in metadata.OfType<ProblemResponseMetadata>())
        {
            Add(declared.StatusCode, declared.When);
        }

        foreach (var declared in metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.StatusCode >= 400))
        {
            Add(declared.StatusCode, ReasonOf(declared.StatusCode));
        }

        if (metadata.OfType<IfMatchDocumentation>().FirstOrDefault() is { } ifMatch)
        {
            AddIfMatchHeader(operation, ifMatch.Required);
        }

        if (isPost)
        {
            AddIdempotencyHeader(operation);
            Add(StatusCodes.Status409Conflict, $"The first request with this {IdempotencyMiddleware.HeaderName} is still in progress.");
            Add(StatusCodes.Status422UnprocessableEntity, $"This {IdempotencyMiddleware.HeaderName} was already used with a different body.");
        }

        if (context.Document is not { } document)
        {
            return;
        }

        if (document.Components?.Schemas?.ContainsKey(ProblemSchemaId) != true)
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
            DescribeExtensions(schema);
            document.AddComponent(ProblemSchemaId, schema);
        }

        operation.Responses ??= [];
        foreach (var (status, whens) in problems)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = string.Join(" Or: ", whens);
            if (operation.Responses.TryGetValue(key, out var existing) && existing is OpenApiResponse response)
            {
                response.Description = text;
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content.Remove("application/json");
                response.Content[ProblemMediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchemaId, document) };
                continue;
            }

            operation.Responses[key] = new OpenApiResponse
            {
                Description = text,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemMediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchemaId, document) },
                },
            };
        }
    }

    /// <summary>The members ApiProblems and the exception handler add to every problem, so clients can rely on them.</summary>
    private static void DescribeExtensions(OpenApiSchema schema)
    {
        schema.Description = "RFC 9457 problem. `errors` names the offending field; `rule` names the rule broken (docs/rules.md).";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["rule"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The rule broken, e.g. R-TIME-6, R-CONS-1, MALFORMED_REQUEST, PRACTICE_SCOPE." };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Messages by field (JSON path of the request member, a route value or a header).",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Correlates the problem with the service's logs and traces." };
    }

    private static void AddIfMatchHeader(OpenApiOperation operation, bool required)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == "If-Match"))
        {
            return;
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Required = required,
            Description = "The ETag of the version you read (GET returns it). " + (required ? "Required." : "Optional; when sent it must be current."),
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    private static void AddIdempotencyHeader(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == IdempotencyMiddleware.HeaderName))
        {
            return;
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyMiddleware.HeaderName,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Optional, 1 to 200 characters. A retry with the same key and body within 24 h replays the first response (Idempotent-Replayed: true).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
        });
    }

    private static void AddExamples(OpenApiOperation operation, OpenApiOperationTransformerContext context, OpenApiExampleSet examples)
    {
        if (operation.RequestBody is null && context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDocumentation>().FirstOrDefault() is { } raw)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = raw.Description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [raw.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };
        }

        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        if (operation.RequestBody?.Content is { } requestContent)
        {
            var bodyType = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
            foreach (var (mediaType, media) in requestContent)
            {
                if (bodyType is not null && examples.Json.TryGetValue(bodyType, out var example))
                {
                    media.Example = JsonSerializer.SerializeToNode(example, bodyType, json);
                }
                else if (examples.Text.TryGetValue(mediaType, out var text))
                {
                    // A JSON document read raw (a FHIR bundle) is shown as JSON, not as one long string.
                    media.Example = mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) ? JsonNode.Parse(text) : JsonValue.Create(text);
                }
            }
        }

        foreach (var responseType in context.Description.SupportedResponseTypes.Where(r => r.StatusCode is >= 200 and < 300 && r.Type is not null))
        {
            if (examples.Json.TryGetValue(responseType.Type!, out var example)
                && operation.Responses?.TryGetValue(responseType.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response.Content is { } content
                && content.TryGetValue("application/json", out var media))
            {
                media.Example = JsonSerializer.SerializeToNode(example, responseType.Type!, json);
            }
        }
    }

    private static string ReasonOf(int status) => status switch
    {
        StatusCodes.Status409Conflict => "The request conflicts with existing data.",
        StatusCodes.Status412PreconditionFailed => "If-Match does not match the current version.",
        StatusCodes.Status422UnprocessableEntity => "The request breaks a rule; `rule` names it (docs/rules.md).",
        StatusCodes.Status428PreconditionRequired => "If-Match is required.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };
}
