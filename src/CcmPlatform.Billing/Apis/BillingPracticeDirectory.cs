using CcmPlatform.Billing.Data;
using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Apis;

/// <summary>Which practice owns a patient or a service billed elsewhere, from Billing's patient and roster facts (practiceId routes need no lookup).</summary>
public sealed class BillingPracticeDirectory(BillingDbContext db) : IPracticeDirectory
{
    public async Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct)
        => key switch
        {
            "patientId" => await db.Patients.Where(p => p.PatientId == id).Select(p => (Guid?)p.PracticeId).FirstOrDefaultAsync(ct),
            "billedElsewhereId" => await db.BilledElsewhere.Where(b => b.Id == id)
                .Join(db.Patients, b => b.PatientId, p => p.PatientId, (_, p) => (Guid?)p.PracticeId).FirstOrDefaultAsync(ct),
            PracticeScope.RosterKey => await db.Roster.Where(r => r.RosterId == id).Select(r => (Guid?)r.PracticeId).FirstOrDefaultAsync(ct),
            _ => null,
        };
}
