using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Data;

/// <summary>Which practice owns a patient, entry, appointment, task or roster member, from Scheduling's own tables.</summary>
public sealed class SchedulingPracticeDirectory(SchedulingDbContext db) : IPracticeDirectory
{
    public async Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct)
    {
        IQueryable<Guid>? owners = key switch
        {
            "patientId" => db.Patients.Where(p => p.Id == id).Select(p => p.PracticeId),
            "entryId" => db.TimeEntries.Where(e => e.Id == id).Select(e => e.PracticeId),
            "appointmentId" => db.Appointments.Where(a => a.Id == id).Select(a => a.PracticeId),
            "taskId" => db.Tasks.Where(t => t.Id == id).Select(t => t.PracticeId),
            "assigneeId" or "staffId" or PracticeScope.RosterKey => db.Roster.Where(r => r.RosterId == id).Select(r => r.PracticeId),
            _ => null,
        };
        return owners is null ? null : await owners.Select(p => (Guid?)p).FirstOrDefaultAsync(ct);
    }
}
