using System.Security.Claims;

namespace CcmPlatform.Infrastructure.Security;

/// <summary>The four roles of docs/roles.md.</summary>
public static class Roles
{
    public const string CareCoordinator = "care-coordinator";
    public const string Practitioner = "practitioner";
    public const string Billing = "billing";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [CareCoordinator, Practitioner, Billing, Admin];
}

/// <summary>Authorization policies the APIs use; the matrix lives in docs/roles.md.</summary>
public static class Policies
{
    /// <summary>Anyone with a valid token may read (billing staff read clinical data).</summary>
    public const string Read = "read";

    /// <summary>Changes to clinical records: care coordinators, practitioners, admins.</summary>
    public const string Clinical = "clinical";

    /// <summary>Practitioner-only actions (signing, MDM, substantial revision).</summary>
    public const string Practitioner = "practitioner";

    /// <summary>Billing actions (close, early release, services billed elsewhere).</summary>
    public const string Billing = "billing";

    public const string Admin = "admin";
}

public static class CallerExtensions
{
    public const string SubjectClaim = "sub";
    public const string PracticeClaim = "practice";
    public const string RoleClaim = "role";

    /// <summary>The roster id of the caller: who did something comes from the token, never the body.</summary>
    public static Guid RosterId(this ClaimsPrincipal user)
        => Guid.TryParse(user.FindFirstValue(SubjectClaim), out var id) ? id : Guid.Empty;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);
}
