using System.Text.RegularExpressions;
using CcmPlatform.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.TestSupport;

/// <summary>One row of docs/roles.md: the roles a route admits.</summary>
public sealed record RoleRow(string Method, string Route, IReadOnlySet<string> Allowed);

/// <summary>
/// docs/roles.md parsed, and the same facts read from a running service's endpoints, so a test can
/// fail on any route the matrix misses or contradicts.
/// </summary>
public static partial class RoleMatrix
{
    public static string DocumentPath => Path.Combine(TestInfrastructure.RepoRoot, "docs", "roles.md");

    public static IReadOnlyList<RoleRow> FromDocument(string? path = null)
    {
        var lines = File.ReadAllLines(path ?? DocumentPath).Where(l => l.TrimStart().StartsWith('|')).ToList();
        var header = Cells(lines[0]);
        var roleColumns = Roles.All.ToDictionary(r => r, r => header.IndexOf(r));
        if (roleColumns.Values.Any(i => i < 0) || header.IndexOf("Method") < 0 || header.IndexOf("Route") < 0)
        {
            throw new InvalidOperationException("docs/roles.md's table needs the columns Method, Route and one per role: " + string.Join(", ", Roles.All));
        }

        return lines.Skip(1).Select(Cells).Where(c => !c[0].StartsWith("---", StringComparison.Ordinal)).Select(c => new RoleRow(
            c[header.IndexOf("Method")].ToUpperInvariant(),
            c[header.IndexOf("Route")],
            Roles.All.Where(r => c[roleColumns[r]].Equals("yes", StringComparison.OrdinalIgnoreCase)).ToHashSet())).ToList();
    }

    /// <summary>Every mapped /api route of the service with the roles its authorization policies admit.</summary>
    public static async Task<IReadOnlyList<RoleRow>> FromEndpointsAsync(IServiceProvider services)
    {
        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var rows = new List<RoleRow>();
        foreach (var source in services.GetServices<EndpointDataSource>())
        {
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var route = Normalise(endpoint.RoutePattern.RawText ?? "");
                if (!route.StartsWith("/api/", StringComparison.Ordinal) && route != "/api")
                {
                    continue;
                }

                var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
                var allowed = await AllowedAsync(endpoint, policies);
                rows.AddRange(methods.Select(m => new RoleRow(m, route, allowed)));
            }
        }

        return rows;
    }

    /// <summary>Differences between the document and the service, limited to the service's prefix.</summary>
    public static async Task<IReadOnlyList<string>> DisagreementsAsync(IServiceProvider services, string prefix)
    {
        var documented = FromDocument().Where(r => r.Route == prefix || r.Route.StartsWith(prefix + "/", StringComparison.Ordinal)).ToList();
        var mapped = await FromEndpointsAsync(services);
        var problems = new List<string>();
        foreach (var route in mapped)
        {
            var row = documented.FirstOrDefault(d => d.Method == route.Method && d.Route == route.Route);
            if (row is null)
            {
                problems.Add($"{route.Method} {route.Route} is mapped but missing from docs/roles.md (policy admits: {Show(route.Allowed)})");
            }
            else if (!row.Allowed.SetEquals(route.Allowed))
            {
                problems.Add($"{route.Method} {route.Route}: docs/roles.md says {Show(row.Allowed)}, the policy admits {Show(route.Allowed)}");
            }
        }

        problems.AddRange(documented.Where(d => !mapped.Any(m => m.Method == d.Method && m.Route == d.Route))
            .Select(d => $"{d.Method} {d.Route} is in docs/roles.md but not mapped"));
        return problems;
    }

    private static async Task<IReadOnlySet<string>> AllowedAsync(Endpoint endpoint, IAuthorizationPolicyProvider provider)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return new HashSet<string>(["anonymous", .. Roles.All]);
        }

        var data = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        var inline = endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>();
        var policy = await AuthorizationPolicy.CombineAsync(provider, data, inline) ?? await provider.GetFallbackPolicyAsync();
        IEnumerable<string> allowed = Roles.All;
        foreach (var requirement in policy?.Requirements ?? [])
        {
            if (requirement is RolesAuthorizationRequirement roles)
            {
                allowed = allowed.Intersect(roles.AllowedRoles);
            }
        }

        return allowed.ToHashSet();
    }

    internal static string Normalise(string raw)
    {
        var route = "/" + RouteConstraint().Replace(raw, "}").Trim('/');
        return route;
    }

    private static List<string> Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();

    private static string Show(IReadOnlySet<string> roles) => roles.Count == 0 ? "nobody" : string.Join(", ", Roles.All.Where(roles.Contains));

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex RouteConstraint();
}
