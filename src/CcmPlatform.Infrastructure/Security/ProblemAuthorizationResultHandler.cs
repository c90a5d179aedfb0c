using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace CcmPlatform.Infrastructure.Security;

/// <summary>
/// Policy failures leave as problems that say what the caller lacks, so a user who gets a 401 or 403
/// through the gateway knows whether to sign in or to ask for another role, instead of an empty body.
/// </summary>
public sealed class ProblemAuthorizationResultHandler(IProblemDetailsService? problems = null) : IAuthorizationMiddlewareResultHandler
{
    public const string AuthenticationRequiredRule = "AUTHENTICATION_REQUIRED";
    public const string RoleNotAllowedRule = "ROLE_NOT_ALLOWED";
    public const string AuthenticationRequiredDetail = "A valid bearer token is required: send 'Authorization: Bearer <token>' (development: ./ccm token --role <role> --as <rosterId>).";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // The schemes still write their WWW-Authenticate header; the body is ours.
            await ChallengeOrForbidAsync(context, policy, challenge: true);
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required.", AuthenticationRequiredRule, AuthenticationRequiredDetail);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            await ChallengeOrForbidAsync(context, policy, challenge: false);
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed.", RoleNotAllowedRule, ForbiddenDetail(policy));
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>Names the roles the policy accepts, as docs/roles.md lists them.</summary>
    public static string ForbiddenDetail(AuthorizationPolicy policy)
    {
        var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList();
        return roles.Count == 0
            ? "Your token does not satisfy this route's authorization policy (see docs/roles.md)."
            : $"This route requires one of the roles: {string.Join(", ", roles)} (see docs/roles.md).";
    }

    private static async Task ChallengeOrForbidAsync(HttpContext context, AuthorizationPolicy policy, bool challenge)
    {
        if (policy.AuthenticationSchemes.Count == 0)
        {
            await (challenge ? context.ChallengeAsync() : context.ForbidAsync());
            return;
        }

        foreach (var scheme in policy.AuthenticationSchemes)
        {
            await (challenge ? context.ChallengeAsync(scheme) : context.ForbidAsync(scheme));
        }
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string rule, string detail)
    {
        if (context.Response.HasStarted || problems is null)
        {
            return;
        }

        context.Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Extensions =
                {
                    ["rule"] = rule,

                    // The token is what is at fault; a 403 names it like a field, as handler-decided 403s do.
                    ["errors"] = new Dictionary<string, string[]> { ["Authorization"] = [detail] },
                },
            },
        });
    }
}
