using System.Security.Claims;
using CcmPlatform.Infrastructure.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.Infrastructure.Security;

/// <summary>
/// Answers which practice owns a record, from the service's own tables or read models. Each service
/// registers one. Null means "not known here" (or a key this service does not resolve): the handler's
/// own 404 then applies, so the scope never invents an answer.
/// </summary>
public interface IPracticeDirectory
{
    /// <param name="key">The route value or body field naming the record: "patientId", "planId", "entryId"….</param>
    Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct);
}

/// <summary>
/// A token carrying a <c>practice</c> claim sees only that practice (docs/adr/0005, "Practice scope").
/// Another practice's records answer 404, never 403, so a scoped caller cannot probe for their existence.
/// Admins and tokens without the claim are not scoped.
/// </summary>
public static class PracticeScope
{
    public const string Rule = "PRACTICE_SCOPE";
    public const string PracticeIdKey = "practiceId";

    /// <summary>
    /// Adds the route-value check to a service's <c>/api/&lt;service&gt;</c> group: <c>practiceId</c> must be
    /// the caller's, and every other <c>…Id</c> the directory resolves must belong to it. The registered
    /// <see cref="IPracticeDirectory"/> is used; <typeparamref name="TDirectory"/> is activated per request
    /// only where the service has not registered one.
    /// </summary>
    public static RouteGroupBuilder RequirePracticeScope<TDirectory>(this RouteGroupBuilder builder)
        where TDirectory : class, IPracticeDirectory
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (ScopeOf(http.User) is not { } scope)
            {
                return await next(context);
            }

            var directory = http.RequestServices.GetService<IPracticeDirectory>()
                ?? ActivatorUtilities.CreateInstance<TDirectory>(http.RequestServices);
            foreach (var (key, value) in http.Request.RouteValues)
            {
                if (!key.EndsWith("Id", StringComparison.Ordinal) || !Guid.TryParse(value?.ToString(), out var id))
                {
                    continue;
                }

                if (await RefuseAsync(scope, directory, key, id, http.RequestAborted) is { } refused)
                {
                    return refused;
                }
            }

            return await next(context);
        });

    /// <summary>
    /// For a record named in the body: null when the caller may touch it, else the 404 to return.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefuseAsync(ClaimsPrincipal user, IPracticeDirectory directory, string field, Guid id, CancellationToken ct)
        => ScopeOf(user) is { } scope ? await RefuseAsync(scope, directory, field, id, ct) : null;

    /// <summary>
    /// The caller's practice, or null when unscoped. A claim that is present but not a practice id
    /// scopes the caller to nothing (Guid.Empty owns no record), failing closed.
    /// </summary>
    public static Guid? ScopeOf(ClaimsPrincipal user)
    {
        if (user.IsAdmin() || user.FindFirstValue(CallerExtensions.PracticeClaim) is not { } claim)
        {
            return null;
        }

        return Guid.TryParse(claim, out var practice) ? practice : Guid.Empty;
    }

    private static async Task<ProblemHttpResult?> RefuseAsync(Guid scope, IPracticeDirectory directory, string field, Guid id, CancellationToken ct)
    {
        var owner = string.Equals(field, PracticeIdKey, StringComparison.OrdinalIgnoreCase)
            ? id
            : await directory.PracticeOfAsync(field, id, ct);
        return owner is { } practice && practice != scope
            ? ApiProblems.Create(StatusCodes.Status404NotFound, "Not found.", field, Rule, $"No record {id} in your practice.")
            : null;
    }
}
