using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Data;

/// <summary>Which practice owns a patient, medication, reconciliation or interaction alert, from Medications' own tables and roster read model.</summary>
public sealed class MedicationsPracticeDirectory(MedicationsDbContext db) : IPracticeDirectory
{
    public async Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct)
    {
        IQueryable<Guid>? owners = key switch
        {
            "patientId" => db.Patients.Where(p => p.Id == id).Select(p => p.PracticeId),
            "medicationId" => db.Medications.Where(m => m.Id == id).Select(m => m.PracticeId),
            "reconciliationId" => db.Reconciliations.Where(r => r.Id == id).Select(r => r.PracticeId),
            "alertId" => db.Alerts.Where(a => a.Id == id).Select(a => a.PracticeId),
            PracticeScope.RosterKey => db.Roster.Where(r => r.RosterId == id).Select(r => r.PracticeId),
            _ => null,
        };
        return owners is null ? null : await owners.Select(p => (Guid?)p).FirstOrDefaultAsync(ct);
    }
}
