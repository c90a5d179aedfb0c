using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.CarePlans.Data;

/// <summary>Which practice owns a patient, care plan or complexity assessment, from CarePlans' own tables and roster read model.</summary>
public sealed class CarePlansPracticeDirectory(CarePlansDbContext db) : IPracticeDirectory
{
    public async Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct)
    {
        IQueryable<Guid>? owners = key switch
        {
            "patientId" => db.Patients.Where(p => p.Id == id).Select(p => p.PracticeId),
            "planId" => db.Plans.Where(p => p.Id == id).Select(p => p.PracticeId),
            "assessmentId" => db.Complexity.Where(c => c.Id == id).Select(c => c.PracticeId),
            PracticeScope.RosterKey => db.Roster.Where(r => r.RosterId == id).Select(r => r.PracticeId),
            _ => null,
        };
        return owners is null ? null : await owners.Select(p => (Guid?)p).FirstOrDefaultAsync(ct);
    }
}
