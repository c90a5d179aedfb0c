using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Data;

/// <summary>Which practice owns a patient, consent or roster member, from Patients' own tables.</summary>
public sealed class PatientsPracticeDirectory(PatientsDbContext db) : IPracticeDirectory
{
    public async Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct)
    {
        IQueryable<Guid>? owners = key switch
        {
            "patientId" => db.Patients.Where(p => p.Id == id).Select(p => p.PracticeId),
            "consentId" => db.Consents.Where(c => c.Id == id)
                .Join(db.Patients, c => c.PatientId, p => p.Id, (_, p) => p.PracticeId),
            PracticeScope.RosterKey => db.RosterMembers.Where(r => r.Id == id).Select(r => r.PracticeId),
            _ => null,
        };
        return owners is null ? null : await owners.Select(p => (Guid?)p).FirstOrDefaultAsync(ct);
    }
}
