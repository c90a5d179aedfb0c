using CcmPlatform.Medications.Data;
using CcmPlatform.Contracts;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Medications.Tests;

/// <summary>
/// Puts staff on a practice's roster read model, as RosterMemberRegistered would: a non-admin token must
/// resolve to a practice and clinical writes need the caller on its roster (docs/adr/0005).
/// </summary>
internal static class TestRoster
{
    public static async Task<Guid> EnrolAsync(this ServiceFactory<Program, MedicationsDbContext> factory, Guid practiceId, RosterKind kind = RosterKind.ClinicalStaff, Guid? rosterId = null)
    {
        var id = rosterId ?? Guid.NewGuid();
        await factory.WithDb(db =>
        {
            db.Roster.Add(new RosterMemberView { RosterId = id, PracticeId = practiceId, Kind = kind });
            return db.SaveChangesAsync();
        });
        return id;
    }

    /// <summary>A client for a new roster member of the practice; its token has no practice claim, so the roster scopes it.</summary>
    public static async Task<HttpClient> MemberAsync(this ServiceFactory<Program, MedicationsDbContext> factory, string role, Guid practiceId)
        => factory.ClientAs(role, await factory.EnrolAsync(practiceId, role == "practitioner" ? RosterKind.Practitioner : RosterKind.ClinicalStaff));
}
