using System.Security.Claims;
using CcmPlatform.Infrastructure.Http;
using Microsoft.AspNetCore.Authorization;
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
    /// <param name="key">The route value or body field naming the record: "patientId", "planId", "entryId"…;
    /// <see cref="PracticeScope.RosterKey"/> for a roster member (the token's subject or a staff id in a body).</param>
    Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct);
}

/// <summary>
/// Every non-admin caller sees exactly one practice (docs/adr/0005, "Practice scope"): the token's
/// <c>practice</c> claim, or else the practice whose roster lists the token's subject. A non-admin caller
/// with neither is refused (403 <see cref="RosterRule"/>), and clinical writes need the caller on the
/// scoped practice's roster. Another practice's records answer 404, never 403, so a scoped caller cannot
/// probe for their existence. Admins are not scoped.
/// </summary>
public static class PracticeScope
{
    public const string Rule = "PRACTICE_SCOPE";
    public const string RosterRule = "NOT_ON_ROSTER";
    public const string PracticeIdKey = "practiceId";

    /// <summary>The directory key for a roster member: staff, practitioner or the caller's own subject.</summary>
    public const string RosterKey = "rosterId";

    /// <summary>
    /// Adds the caller and route-value checks to a service's <c>/api/&lt;service&gt;</c> group: the caller
    /// must resolve to a practice (claim or roster), a clinical write needs the caller on that practice's
    /// roster, <c>practiceId</c> must be the caller's, and every other <c>…Id</c> the directory resolves
    /// must belong to it. The registered <see cref="IPracticeDirectory"/> is used;
    /// <typeparamref name="TDirectory"/> is activated per request only where the service has not registered one.
    /// </summary>
    public static RouteGroupBuilder RequirePracticeScope<TDirectory>(this RouteGroupBuilder builder)
        where TDirectory : class, IPracticeDirectory
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.User.IsAdmin())
            {
                return await next(context);
            }

            var directory = http.RequestServices.GetService<IPracticeDirectory>()
                ?? ActivatorUtilities.CreateInstance<TDirectory>(http.RequestServices);
            var subject = http.User.RosterId();
            var rosterPractice = subject == Guid.Empty ? null : await directory.PracticeOfAsync(RosterKey, subject, http.RequestAborted);
            var claimed = ClaimedPractice(http.User);
            if ((claimed ?? rosterPractice) is not { } scope)
            {
                return NotOnRoster($"Your token names no practice and its subject {subject} is on no practice's roster here; ask an admin to add you to the roster.");
            }

            if (claimed is null)
            {
                // Handlers and PracticeScope.RefuseAsync read the scope from the principal; the roster answer is recorded there once.
                http.User.AddIdentity(new ClaimsIdentity([new Claim(CallerExtensions.PracticeClaim, scope.ToString())]));
            }

            if (IsClinicalWrite(http) && rosterPractice != scope)
            {
                return NotOnRoster($"Clinical changes need the caller on the practice's roster; {subject} is not on the roster of practice {scope}.");
            }

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
    /// For a roster member named in a body (staff, practitioner, assignee): null when they are on the roster
    /// of <paramref name="practiceId"/> (the record's practice, whoever the caller is, admins included), a
    /// 404 <see cref="Rule"/> when they belong to another practice, a 422 <see cref="RosterRule"/> when no
    /// roster lists them.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefuseMemberAsync(IPracticeDirectory directory, string field, Guid rosterId, Guid practiceId, CancellationToken ct)
        => await directory.PracticeOfAsync(RosterKey, rosterId, ct) switch
        {
            null => ApiProblems.Unprocessable(field, RosterRule, $"{rosterId} is on no practice's roster."),
            { } owner when owner != practiceId => OutOfScope(field, rosterId),
            _ => null,
        };

    /// <summary>
    /// The caller's practice, or null for an admin (unscoped). Inside a scoped group every other caller has
    /// one (the filter adds it from the roster when the token has no claim); a claim that is absent or not a
    /// practice id scopes the caller to nothing (Guid.Empty owns no record), failing closed.
    /// </summary>
    public static Guid? ScopeOf(ClaimsPrincipal user)
        => user.IsAdmin() ? null : ClaimedPractice(user) ?? Guid.Empty;

    public static ProblemHttpResult OutOfScope(string field, Guid id)
        => ApiProblems.Create(StatusCodes.Status404NotFound, "Not found.", field, Rule, $"No record {id} in your practice.");

    private static ProblemHttpResult NotOnRoster(string detail) => ApiProblems.Forbidden("Authorization", RosterRule, detail);

    private static Guid? ClaimedPractice(ClaimsPrincipal user)
        => user.FindFirstValue(CallerExtensions.PracticeClaim) is { } claim
            ? Guid.TryParse(claim, out var practice) ? practice : Guid.Empty
            : null;

    private static bool IsClinicalWrite(HttpContext http)
        => http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Any(a => a.Policy is Policies.Clinical or Policies.Practitioner) == true;

    private static async Task<ProblemHttpResult?> RefuseAsync(Guid scope, IPracticeDirectory directory, string field, Guid id, CancellationToken ct)
    {
        var owner = string.Equals(field, PracticeIdKey, StringComparison.OrdinalIgnoreCase)
            ? id
            : await directory.PracticeOfAsync(field, id, ct);
        return owner is { } practice && practice != scope ? OutOfScope(field, id) : null;
    }
}
